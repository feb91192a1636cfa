using Messaging.Templates;
using NodaTime;

namespace Messaging.Tests.Templates;

/// <summary>An engine with the built-ins plus the host placeholders a clinic would register.</summary>
internal static class Templates
{
    public const string AppointmentDate = "appointment.date";
    public const string AppointmentTime = "appointment.time";
    public const string ClinicName = "clinic.name";
    public const string InvoiceAmount = "invoice.amount";

    public static readonly LocalDate Tuesday4March2025 = new(2025, 3, 4);

    public static TemplateEngine Engine(int cacheCapacity = TemplateEngine.DefaultCacheCapacity)
    {
        var registry = new PlaceholderRegistry();
        registry.Register(AppointmentDate, PlaceholderKind.Date, "Date of the appointment.");
        registry.Register(AppointmentTime, PlaceholderKind.DateTime, "Start of the appointment.");
        registry.Register(ClinicName, PlaceholderKind.Text, "Clinic of the appointment.");
        registry.Register(InvoiceAmount, PlaceholderKind.Number, "Amount due.");
        return new TemplateEngine(registry, cacheCapacity);
    }

    public static TemplateValues Jane(this TemplateEngine engine)
        => engine.CreateValues()
            .Set(BuiltInPlaceholders.PatientFirstName, "Jane")
            .Set(ClinicName, "Dermatology Clinic")
            .Set(AppointmentDate, Tuesday4March2025)
            .Set(BuiltInPlaceholders.WorkspaceName, "Northshire Dermatology");
}
