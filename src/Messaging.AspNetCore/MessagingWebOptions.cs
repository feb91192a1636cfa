using Microsoft.Extensions.Options;

namespace Messaging.AspNetCore;

/// <summary>
/// How the patient pages look and how the providers' inbound webhooks answer. Bound from <c>Messaging:Web</c> by convention and
/// validated at start-up.
/// </summary>
/// <remarks>
/// To restyle the pages, set <see cref="StylesheetUrl"/> (linked after the built-in stylesheet, or instead of it when
/// <see cref="UseDefaultStylesheet"/> is off). To render them yourself, register your own
/// <see cref="IPatientPageRenderer"/>.
/// </remarks>
public sealed class MessagingWebOptions
{
    /// <summary>The configuration section the host conventionally binds these options from.</summary>
    public const string SectionName = "Messaging:Web";

    /// <summary>The default of <see cref="InboundSmsReply"/>.</summary>
    public const string DefaultInboundSmsReply =
        "Sorry, messages sent to this number are not read. To reply, use the secure link in the message we sent you, " +
        "or contact your care team directly. In an emergency call 999, or NHS 111 for urgent advice.";

    /// <summary>The name shown at the top of every patient page and in its title, e.g. the trust's name.</summary>
    /// <value>The default value is <c>Secure messages</c>.</value>
    public string SiteName { get; set; } = "Secure messages";

    /// <summary>
    /// A stylesheet of the host's, linked from every patient page after the built-in one: an absolute https URL or
    /// a path on the host (e.g. <c>/css/patient.css</c>). Cross-origin stylesheets are allowed by the pages'
    /// Content-Security-Policy.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: only the built-in stylesheet.</value>
    public Uri? StylesheetUrl { get; set; }

    /// <summary>Whether pages link the built-in stylesheet. Turn it off to style the pages from <see cref="StylesheetUrl"/> alone.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseDefaultStylesheet { get; set; } = true;

    /// <summary>
    /// Whether the reply form lets a patient attach one photo or document (PDF, JPEG, PNG by default; limits from
    /// <see cref="AttachmentOptions"/>).
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool AllowPatientAttachments { get; set; } = true;

    /// <summary>
    /// The SMS the provider sends back (for Twilio, as TwiML) when a patient texts the organisation's number something that is not an
    /// opt-out keyword: such texts are not read by anyone, so the patient is told how to reach the team instead of
    /// waiting for an answer. The provider charges for it as for any SMS, outside the SDK's credits. Set it to
    /// <see langword="null"/> or empty to answer nothing.
    /// </summary>
    /// <value>The default value is <see cref="DefaultInboundSmsReply"/>.</value>
    public string? InboundSmsReply { get; set; } = DefaultInboundSmsReply;

    /// <summary>
    /// Requests per minute one link (a reply, Direct-Message or download link) may receive; more get a 429 page. It
    /// bounds guessing and scripted posting against a single link. 0 turns the limit off.
    /// </summary>
    /// <value>The default value is 30.</value>
    public int LinkRequestsPerMinute { get; set; } = 30;

    /// <summary>
    /// Requests per minute one client (IP address) may make to the patient pages; more get a 429 page. Behind a proxy,
    /// configure ASP.NET Core's forwarded headers so the client's address is seen, or every patient shares the proxy's.
    /// 0 turns the limit off.
    /// </summary>
    /// <value>The default value is 300 (generous, as many patients may share a hospital's or a mobile network's address).</value>
    public int ClientRequestsPerMinute { get; set; } = 300;

    /// <summary>
    /// Requests per minute one client (IP address) may make to the providers' webhooks; more get 429 with
    /// <c>Retry-After</c>, which providers retry. 0 turns the limit off.
    /// </summary>
    /// <value>The default value is 3000 (a busy organisation's delivery reports arrive in bursts).</value>
    public int WebhookRequestsPerMinute { get; set; } = 3000;
}

/// <summary>Validates <see cref="MessagingWebOptions"/> at start-up, naming each bad setting.</summary>
internal sealed class MessagingWebOptionsValidator : IValidateOptions<MessagingWebOptions>
{
    private const int MaxSiteName = 100;
    private const int MaxInboundReply = 320; // two SMS segments
    private const int MaxRequestsPerMinute = 1_000_000;

    public ValidateOptionsResult Validate(string? name, MessagingWebOptions options)
    {
        const string Prefix = MessagingWebOptions.SectionName + ":";
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.SiteName) || options.SiteName.Length > MaxSiteName)
        {
            failures.Add($"{Prefix}SiteName is required and must be at most {MaxSiteName} characters long.");
        }

        if (options.StylesheetUrl is { IsAbsoluteUri: true } url && url.Scheme != Uri.UriSchemeHttps && !url.IsLoopback)
        {
            failures.Add($"{Prefix}StylesheetUrl must be a path on the host or an https URL; it is '{url.Scheme}'.");
        }
        else if (options.StylesheetUrl is { IsAbsoluteUri: false } path && !path.OriginalString.StartsWith('/'))
        {
            failures.Add($"{Prefix}StylesheetUrl must be an absolute URL or a path starting with '/'; it is '{path.OriginalString}'.");
        }

        if (!options.UseDefaultStylesheet && options.StylesheetUrl is null)
        {
            failures.Add($"{Prefix}StylesheetUrl is required when UseDefaultStylesheet is off, or the pages would have no styles.");
        }

        if (options.InboundSmsReply is { Length: > MaxInboundReply })
        {
            failures.Add($"{Prefix}InboundSmsReply must be at most {MaxInboundReply} characters long; it is {options.InboundSmsReply.Length}.");
        }

        foreach (var (setting, value) in new[]
                 {
                     (nameof(MessagingWebOptions.LinkRequestsPerMinute), options.LinkRequestsPerMinute),
                     (nameof(MessagingWebOptions.ClientRequestsPerMinute), options.ClientRequestsPerMinute),
                     (nameof(MessagingWebOptions.WebhookRequestsPerMinute), options.WebhookRequestsPerMinute),
                 })
        {
            if (value is < 0 or > MaxRequestsPerMinute)
            {
                failures.Add($"{Prefix}{setting} must be between 0 (off) and {MaxRequestsPerMinute}; it is {value}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
