using Microsoft.Extensions.Options;

namespace Messaging.Providers.NhsNotify;

/// <summary>
/// The NHS Notify registrations of a host (R26): each name, the options name its <see cref="NhsNotifyOptions"/> are
/// bound under, and the configuration path validation messages name. The default registration, <c>nhs-notify</c>, uses
/// the default options (<see cref="Options.DefaultName"/>); any other name is its own named options.
/// </summary>
internal sealed class NhsNotifyRegistrations
{
    private readonly Dictionary<string, NhsNotifyRegistration> _byOptionsName = new(StringComparer.Ordinal);

    /// <summary>The options name of a registration name.</summary>
    public static string OptionsNameOf(string name)
        => string.Equals(name, NhsNotifyOptions.ProviderName, StringComparison.Ordinal) ? Options.DefaultName : name;

    /// <summary>Adds a registration, or updates its path; <see langword="false"/> when the name was registered already.</summary>
    public bool Add(string name, string sectionPath)
    {
        var optionsName = OptionsNameOf(name);
        var isNew = !_byOptionsName.ContainsKey(optionsName);
        _byOptionsName[optionsName] = new NhsNotifyRegistration(name, optionsName, sectionPath);
        return isNew;
    }

    public NhsNotifyRegistration? FindByOptionsName(string? optionsName)
        => _byOptionsName.GetValueOrDefault(optionsName ?? Options.DefaultName);
}

/// <summary>One named NHS Notify registration: its provider name, options name and configuration path.</summary>
internal sealed record NhsNotifyRegistration(string Name, string OptionsName, string SectionPath)
{
    /// <summary>The name of its <see cref="HttpClient"/>: the default registration keeps the 1.0 name.</summary>
    public string HttpClientName => OptionsName.Length == 0 ? Sending.NhsNotifySender.HttpClientName : $"{Sending.NhsNotifySender.HttpClientName}:{Name}";
}
