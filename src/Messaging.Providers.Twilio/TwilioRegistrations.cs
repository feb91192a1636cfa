using Microsoft.Extensions.Options;

namespace Messaging.Providers.Twilio;

/// <summary>
/// The Twilio registrations of a host (R26): each name, the options name its <see cref="TwilioSmsOptions"/> are bound
/// under, and the configuration path validation messages name. The default registration, <c>twilio</c>, uses the
/// default options (<see cref="Options.DefaultName"/>), so hosts and code that read <c>IOptions&lt;TwilioSmsOptions&gt;</c>
/// keep working; any other name is its own named options.
/// </summary>
internal sealed class TwilioRegistrations
{
    private readonly Dictionary<string, TwilioRegistration> _byOptionsName = new(StringComparer.Ordinal);

    public IEnumerable<TwilioRegistration> All => _byOptionsName.Values;

    /// <summary>The options name of a registration name.</summary>
    public static string OptionsNameOf(string name)
        => string.Equals(name, TwilioSmsOptions.ProviderName, StringComparison.Ordinal) ? Options.DefaultName : name;

    /// <summary>Adds a registration, or updates its path; <see langword="false"/> when the name was registered already.</summary>
    public bool Add(string name, string sectionPath)
    {
        var optionsName = OptionsNameOf(name);
        var isNew = !_byOptionsName.ContainsKey(optionsName);
        _byOptionsName[optionsName] = new TwilioRegistration(name, optionsName, sectionPath);
        return isNew;
    }

    public TwilioRegistration? FindByOptionsName(string? optionsName)
        => _byOptionsName.GetValueOrDefault(optionsName ?? Options.DefaultName);
}

/// <summary>One named Twilio registration.</summary>
/// <param name="Name">The provider's name: recorded on its messages, the segment of its webhook routes, named in routes.</param>
/// <param name="OptionsName">The name its options are bound under.</param>
/// <param name="SectionPath">The configuration path validation messages name keys under.</param>
internal sealed record TwilioRegistration(string Name, string OptionsName, string SectionPath)
{
    /// <summary>The name of its <see cref="HttpClient"/>: the default registration keeps the 1.0 name.</summary>
    public string HttpClientName => OptionsName.Length == 0 ? Sending.TwilioSmsProvider.HttpClientName : $"{Sending.TwilioSmsProvider.HttpClientName}:{Name}";
}
