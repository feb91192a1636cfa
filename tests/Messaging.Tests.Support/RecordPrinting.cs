using System.Reflection;
using System.Runtime.CompilerServices;
using NodaTime;

namespace Messaging.Tests.Support;

/// <summary>
/// R22: a record's compiler-generated <c>ToString</c> prints every property, so a record logged or interpolated into a
/// message would print bodies, names and contact details. <see cref="Leaks"/> fills a record with a recognisable value in
/// each property that can hold patient data and reports which of them its <c>ToString</c> printed.
/// </summary>
public static class RecordPrinting
{
    private static readonly LocalDate SentinelDate = new(1911, 11, 11);

    /// <summary>
    /// String properties that hold identifiers, codes, cursors, hashes, organisational names or other technical values,
    /// never patient data: by name anywhere, or as <c>Type.Property</c>. Any other string property is assumed to hold
    /// patient data, so a new one fails here until it is masked or listed with a reason.
    /// </summary>
    private static readonly HashSet<string> NotPatientData = new(StringComparer.Ordinal)
    {
        "Value", "Id", "TargetId", "ProviderName", "ProviderMessageId", "IdempotencyKey", "Code", "ErrorCode", "Method",
        "ContentType", "RawStatus", "PageToken", "NextPageToken", "LeaseOwner", "TokenHash", "Template",
        "Source", // how an opt-out arrived (a keyword, a staff action)
        "Reference", // a credit purchase's payment reference
        "Name", // of an organisation, workspace, team or template
        "DisplayName", // a staff member's, shown to colleagues and in the audit
        "ProviderSendResult.ErrorDescription", // its contract forbids patient data; providers are held to it by the provider kit
        "MessageTemplate.Body", "MessageTemplate.HtmlBody", "CreateTemplateRequest.Body", "CreateTemplateRequest.HtmlBody",
        "UpdateTemplateRequest.Body", "UpdateTemplateRequest.HtmlBody", // a template is written for many patients, not about one
        "ProviderWebhookResponse.Body", // what the SDK answers a provider's webhook with
        "SystemEmailTemplate.Subject", "SystemEmailTemplate.Text", "SystemEmailTemplate.Html", // the host's wording for staff emails
        "FormAction", // a patient page's form URL: a path with the link's token, never printed by PatientPage
    };

    /// <summary>Every public, concrete record type of <paramref name="assembly"/>, by full name.</summary>
    public static IReadOnlyList<Type> Records(Assembly assembly)
        => [.. assembly.GetExportedTypes().Where(IsRecord).OrderBy(t => t.FullName, StringComparer.Ordinal)];

    /// <summary>The patient-data properties whose planted values <paramref name="record"/>'s <c>ToString</c> printed, and what it printed.</summary>
    public static (IReadOnlyList<string> Leaked, string Printed) Leaks(Type record)
    {
        var (instance, planted) = Filled(record);
        var printed = instance.ToString() ?? string.Empty;
        return ([.. planted.Where(p => printed.Contains(p.Value, StringComparison.Ordinal)).Select(p => p.Key)], printed);
    }

    private static bool IsRecord(Type type)
        => !type.IsAbstract && !type.ContainsGenericParameters
           && type.GetMethod("PrintMembers", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public) is not null;

    private static (object Instance, Dictionary<string, string> Planted) Filled(Type type)
    {
        var instance = RuntimeHelpers.GetUninitializedObject(type);
        var planted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in type.GetProperties(BindingFlags.Instance | BindingFlags.Public).Where(p => p.GetIndexParameters().Length == 0))
        {
            var value = PlantFor(property, planted);
            if (value is null)
            {
                continue;
            }

            if (property.SetMethod is not null)
            {
                property.SetValue(instance, value);
            }
            else if (type.GetField($"<{property.Name}>k__BackingField", BindingFlags.Instance | BindingFlags.NonPublic) is { } field)
            {
                field.SetValue(instance, value);
            }
        }

        return (instance, planted);
    }

    private static object? PlantFor(PropertyInfo property, Dictionary<string, string> planted)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (type == typeof(string))
        {
            if (NotPatientData.Contains(property.Name) || NotPatientData.Contains($"{property.DeclaringType!.Name}.{property.Name}"))
            {
                return "technical-value";
            }

            var value = $"PLANTED-{property.Name}-VALUE";
            planted[property.Name] = value;
            return value;
        }

        if (type == typeof(Uri))
        {
            planted[property.Name] = "planted-link-token"; // links carry bearer tokens (reply, download, Direct Message)
            return new Uri("https://ehr.example.nhs.uk/m/d/planted-link-token");
        }

        if (type == typeof(LocalDate))
        {
            planted[property.Name] = "1911";
            return SentinelDate;
        }

        if (type == typeof(PhoneNumber))
        {
            planted[property.Name] = "7400123456";
            return PhoneNumber.FromE164("+447400123456");
        }

        if (type == typeof(EmailAddress))
        {
            planted[property.Name] = "planted.patient";
            return EmailAddress.Parse("planted.patient@example.com");
        }

        if (type == typeof(NhsNumber))
        {
            planted[property.Name] = "4765919";
            return NhsNumber.Parse("9434765919");
        }

        if (type.IsGenericType && type.GetGenericArguments() is [var element] && type.IsAssignableFrom(element.MakeArrayType()))
        {
            return Array.CreateInstance(element, 0); // empty, so a ToString that counts items does not fail on null
        }

        return null;
    }
}
