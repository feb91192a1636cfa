using Microsoft.Extensions.Options;
using NodaTime;

namespace Messaging;

/// <summary>Options of the SDK's core, bound from configuration (e.g. the <c>Messaging</c> section) and validated at start-up.</summary>
public sealed class PatientMessagingOptions
{
    /// <summary>The configuration section the host conventionally binds these options from.</summary>
    public const string SectionName = "Messaging";

    /// <summary>
    /// The absolute URL under which the host serves the SDK's patient pages (reply links, Direct-Message unlock
    /// pages, attachment downloads), e.g. <c>https://ehr.example.nhs.uk/m/</c>. Must be https, except on a loopback host
    /// during development. Required.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>
    /// The region used to read phone numbers typed in national form (ISO 3166 code).
    /// </summary>
    /// <value>The default value is <c>GB</c>.</value>
    public string DefaultPhoneRegion { get; set; } = "GB";

    /// <summary>The IANA time zone in which dates are shown and the date of birth is checked against "today".</summary>
    /// <value>The default value is <c>Europe/London</c>.</value>
    public string TimeZone { get; set; } = "Europe/London";

    /// <summary>Inbox page size when the request does not give one.</summary>
    /// <value>The default value is 25.</value>
    public int DefaultPageSize { get; set; } = 25;

    /// <summary>The largest inbox page a request may ask for.</summary>
    /// <value>The default value is 100.</value>
    public int MaxPageSize { get; set; } = 100;

    /// <summary>How long a reply link works after the message is sent (R12).</summary>
    /// <value>The default value is 14 days.</value>
    public TimeSpan ReplyLinkLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// The server-side key, base64 of at least 32 random bytes (e.g. <c>openssl rand -base64 32</c>), from which the
    /// secrets a message carries are derived: its reply token, its attachment download tokens and a Direct Message's
    /// link token and access code. Deriving them from the message rather than drawing them at random means a retry
    /// after an uncertain provider result sends exactly the same link and code, so whatever the patient already
    /// received keeps working (R29). Only hashes are stored, as before; the key never is. Keep it outside the database
    /// (a secret store, the environment), like the Direct-Message pepper; changing it does not affect links already
    /// sent, only messages not yet sent. Required.
    /// </summary>
    public string? LinkKey { get; set; }

    /// <summary>
    /// When a charge takes an organisation's SMS credit balance below this many credits, a
    /// <see cref="CreditBalanceLow"/> event is raised to the host's handlers, once per crossing (R15).
    /// </summary>
    /// <value>The default value is <see langword="null"/>: no event.</value>
    public int? LowCreditThreshold { get; set; }

    internal DateTimeZone ResolveTimeZone() => DateTimeZoneProviders.Tzdb.GetZoneOrNull(TimeZone) ?? DateTimeZone.Utc;
}

/// <summary>Validates <see cref="PatientMessagingOptions"/> at start-up, naming each bad setting.</summary>
internal sealed class PatientMessagingOptionsValidator : IValidateOptions<PatientMessagingOptions>
{
    public ValidateOptionsResult Validate(string? name, PatientMessagingOptions options)
    {
        var failures = new List<string>();
        const string Prefix = PatientMessagingOptions.SectionName + ":";

        if (options.PublicBaseUrl is null)
        {
            failures.Add($"{Prefix}PublicBaseUrl is required: the absolute URL under which patient pages are served (e.g. https://ehr.example.nhs.uk/m/).");
        }
        else if (!options.PublicBaseUrl.IsAbsoluteUri)
        {
            failures.Add($"{Prefix}PublicBaseUrl must be an absolute URL; '{options.PublicBaseUrl}' is relative.");
        }
        else if (options.PublicBaseUrl.Scheme != Uri.UriSchemeHttps && !options.PublicBaseUrl.IsLoopback)
        {
            failures.Add($"{Prefix}PublicBaseUrl must use https (plain http is allowed on a loopback host only); it is '{options.PublicBaseUrl.Scheme}'.");
        }

        if (string.IsNullOrWhiteSpace(options.LinkKey))
        {
            failures.Add($"{Prefix}LinkKey is required: base64 of at least {Messaging.Sending.MessageSecrets.MinKeyBytes} random bytes (e.g. `openssl rand -base64 32`), kept outside the database; reply links, download links and Direct-Message codes are derived from it.");
        }
        else if (!Messaging.Sending.MessageSecrets.TryDecodeKey(options.LinkKey, out var key))
        {
            failures.Add($"{Prefix}LinkKey must be at least {Messaging.Sending.MessageSecrets.MinKeyBytes} bytes of base64; the value set is not valid base64 of that length.");
        }
        else
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
        }

        if (string.IsNullOrWhiteSpace(options.DefaultPhoneRegion) || !PhoneNumbers.PhoneNumberUtil.GetInstance().GetSupportedRegions().Contains(options.DefaultPhoneRegion))
        {
            failures.Add($"{Prefix}DefaultPhoneRegion must be a supported ISO 3166 region code such as GB; it is '{options.DefaultPhoneRegion}'.");
        }

        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(options.TimeZone ?? string.Empty) is null)
        {
            failures.Add($"{Prefix}TimeZone must be an IANA time zone id such as Europe/London; it is '{options.TimeZone}'.");
        }

        if (options.MaxPageSize is < 1 or > 1000)
        {
            failures.Add($"{Prefix}MaxPageSize must be between 1 and 1000; it is {options.MaxPageSize}.");
        }

        if (options.DefaultPageSize < 1 || options.DefaultPageSize > options.MaxPageSize)
        {
            failures.Add($"{Prefix}DefaultPageSize must be between 1 and MaxPageSize ({options.MaxPageSize}); it is {options.DefaultPageSize}.");
        }

        if (options.ReplyLinkLifetime < TimeSpan.FromMinutes(5) || options.ReplyLinkLifetime > TimeSpan.FromDays(90))
        {
            failures.Add($"{Prefix}ReplyLinkLifetime must be between 5 minutes and 90 days; it is {options.ReplyLinkLifetime}.");
        }

        if (options.LowCreditThreshold is < 1 or > 10_000_000)
        {
            failures.Add($"{Prefix}LowCreditThreshold must be between 1 and 10000000 credits, or unset; it is {options.LowCreditThreshold}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
