using Microsoft.Extensions.Options;

namespace Messaging.Providers.Smtp;

/// <summary>
/// The SMTP registrations of a host (R26): each name, the options name its <see cref="SmtpEmailOptions"/> are bound
/// under, and the configuration path validation messages name. The default registration, <c>smtp</c>, uses the default
/// options (<see cref="Options.DefaultName"/>); any other name is its own named options.
/// </summary>
internal sealed class SmtpRegistrations
{
    private readonly Dictionary<string, SmtpRegistration> _byOptionsName = new(StringComparer.Ordinal);

    /// <summary>The options name of a registration name.</summary>
    public static string OptionsNameOf(string name)
        => string.Equals(name, SmtpEmailProvider.ProviderName, StringComparison.Ordinal) ? Options.DefaultName : name;

    /// <summary>Adds a registration, or updates its path; <see langword="false"/> when the name was registered already.</summary>
    public bool Add(string name, string sectionPath)
    {
        var optionsName = OptionsNameOf(name);
        var isNew = !_byOptionsName.ContainsKey(optionsName);
        _byOptionsName[optionsName] = new SmtpRegistration(name, optionsName, sectionPath);
        return isNew;
    }

    public SmtpRegistration? FindByOptionsName(string? optionsName)
        => _byOptionsName.GetValueOrDefault(optionsName ?? Options.DefaultName);
}

/// <summary>One named SMTP registration: its provider name, options name and configuration path.</summary>
internal sealed record SmtpRegistration(string Name, string OptionsName, string SectionPath);
