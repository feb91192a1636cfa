using System.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.Providers.Twilio.Webhooks;

/// <summary>
/// Twilio's webhooks for the SDK's web package (R27): status callbacks and inbound SMS on
/// <c>sms/twilio/status</c> and <c>sms/twilio/inbound/{organisationId}</c>, plus the 1.0 paths <c>twilio/status</c>
/// and <c>twilio/inbound/{organisationId}</c> as deprecated aliases. Requests are authenticated with
/// <c>X-Twilio-Signature</c> against the public URL, with the auth token read per request from
/// <see cref="IOptionsMonitor{TOptions}"/>, so a rotated token takes effect on the next request without a restart.
/// </summary>
/// <remarks>
/// One handler per named registration (R26): its routes carry the registration's name (<c>sms/{name}/status</c>,
/// <c>sms/{name}/inbound/{organisationId}</c>) and its signatures are checked with that registration's auth token. Only
/// the default registration (<c>twilio</c>) serves the 1.0 aliases.
/// </remarks>
internal sealed class TwilioWebhookHandler(TwilioRegistration registration, IOptionsMonitor<TwilioSmsOptions> options, ILogger<TwilioWebhookHandler> logger) : IProviderWebhookHandler
{
    /// <summary>The 1.0 status path, kept as an alias for one release.</summary>
    internal const string LegacyStatusRoute = "twilio/status";

    /// <summary>The 1.0 inbound path, kept as an alias for one release: Twilio numbers are configured with it in the console.</summary>
    internal const string LegacyInboundRoute = "twilio/inbound/{" + ProviderWebhookRoutes.OrganisationIdParameter + "}";

    private static readonly ProviderWebhookResponse Empty = new(200, "text/xml; charset=utf-8", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>");

    public string Name => registration.Name;

    public IReadOnlyList<ProviderWebhookRoute> Routes { get; } = RoutesOf(registration.Name);

    private static ProviderWebhookRoute[] RoutesOf(string name)
        => string.Equals(name, TwilioSmsOptions.ProviderName, StringComparison.Ordinal)
            ?
            [
                new(ProviderWebhookKind.Status, ProviderWebhookRoutes.Status(name)),
                new(ProviderWebhookKind.Inbound, ProviderWebhookRoutes.Inbound(name)),
                new(ProviderWebhookKind.Status, LegacyStatusRoute) { Deprecated = true },
                new(ProviderWebhookKind.Inbound, LegacyInboundRoute) { Deprecated = true },
            ]
            : [new(ProviderWebhookKind.Status, ProviderWebhookRoutes.Status(name)), new(ProviderWebhookKind.Inbound, ProviderWebhookRoutes.Inbound(name))];

    public ValueTask<bool> AuthenticateAsync(ProviderWebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = options.Get(registration.OptionsName).AuthToken;
        if (string.IsNullOrEmpty(token))
        {
            Log.NoAuthTokenForWebhooks(logger);
            return ValueTask.FromResult(false);
        }

        var signature = request.Headers.TryGetValue(TwilioRequestValidator.SignatureHeader, out var value) ? value : null;
        var validator = new TwilioRequestValidator(token);
        var valid = request.Form.Count == 0 && !request.Body.IsEmpty
            ? validator.IsValidWithBody(request.PublicUrl, request.Body.Span, signature)
            : validator.IsValid(request.PublicUrl, request.Form, signature);
        return ValueTask.FromResult(valid);
    }

    public IReadOnlyList<DeliveryStatusUpdate> ParseStatusReports(ProviderWebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (TwilioWebhookParser.ParseStatusCallback(request.Form) is { } update)
        {
            // The SDK's own callback URL names the message (ProviderWebhookRoutes.StatusFor); the signature covers it.
            return [update with { ProviderName = Name, IdempotencyKey = ProviderWebhookRoutes.MessageKeyOf(request.PublicUrl) }];
        }

        // A status the SDK does not track (e.g. "receiving"): acknowledged, since an error would only make Twilio retry.
        var fields = request.Form.ToLookup(p => p.Key, p => p.Value, StringComparer.Ordinal);
        Log.StatusUntracked(
            logger,
            fields["MessageSid"].FirstOrDefault() ?? fields["SmsSid"].FirstOrDefault() ?? "?",
            fields["MessageStatus"].FirstOrDefault() ?? fields["SmsStatus"].FirstOrDefault() ?? "?");
        return [];
    }

    public InboundSms ParseInboundText(ProviderWebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return TwilioWebhookParser.ParseInboundMessage(request.Form) with { ProviderName = Name };
    }

    /// <summary>TwiML: an empty <c>&lt;Response/&gt;</c> sends nothing (keywords are answered by Twilio's own opt-out handling); otherwise one message.</summary>
    public ProviderWebhookResponse CreateInboundResponse(string? reply)
        => string.IsNullOrEmpty(reply)
            ? Empty
            : Empty with { Body = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>{SecurityElement.Escape(reply)}</Message></Response>" };
}
