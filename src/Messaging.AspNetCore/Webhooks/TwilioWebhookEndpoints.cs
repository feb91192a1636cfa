using System.Security;
using Messaging.Providers.Twilio.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.AspNetCore.Webhooks;

/// <summary>
/// Twilio's webhooks: message status callbacks (R13) and inbound SMS (R14). Each request must carry a valid
/// <c>X-Twilio-Signature</c> for the public URL Twilio called (<c>Messaging:PublicBaseUrl</c> plus the path below the
/// mapped prefix); anything else is refused with 403 before it is read further.
/// </summary>
internal static class TwilioWebhookEndpoints
{
    internal const string StatusRoute = "twilio/status";
    internal const string InboundRoute = "twilio/inbound/{organisationId}";

    /// <summary>Applies a status callback. Repeats and late, older statuses change nothing (R13), and Twilio gets 204 either way.</summary>
    public static async Task StatusAsync(HttpContext context)
    {
        var logger = Logger(context);
        if (await ReadSignedFormAsync(context, "status", segments: 2, logger).ConfigureAwait(false) is not { } form)
        {
            return;
        }

        DeliveryStatusUpdate? update;
        try
        {
            update = TwilioWebhookParser.ParseStatusCallback(form);
        }
        catch (MessagingValidationException e)
        {
            Log.TwilioWebhookMalformed(logger, "status", e.ErrorCode, e.Field);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (update is null)
        {
            // A status the SDK does not track (e.g. "receiving"): 2xx, since an error would only make Twilio retry.
            var fields = form.ToLookup(p => p.Key, p => p.Value, StringComparer.Ordinal);
            Log.TwilioStatusUntracked(logger, fields["MessageSid"].FirstOrDefault() ?? fields["SmsSid"].FirstOrDefault() ?? "?", fields["MessageStatus"].FirstOrDefault() ?? fields["SmsStatus"].FirstOrDefault() ?? "?");
        }
        else
        {
            var outcome = await context.RequestServices.GetRequiredService<IDeliveryStatusService>().ApplyAsync(update, context.RequestAborted).ConfigureAwait(false);
            Log.TwilioStatusApplied(logger, update.ProviderMessageId, update.RawStatus, outcome);
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>
    /// Handles an SMS a patient sent to the organisation's number: STOP-like keywords opt the number out and START/UNSTOP
    /// back in (R14). Anything else is not read by anyone (replies go through reply links, R12), so the patient is told
    /// so by the configured auto-reply, unless their number is opted out.
    /// </summary>
    public static async Task InboundAsync(HttpContext context, string organisationId)
    {
        var logger = Logger(context);
        if (await ReadSignedFormAsync(context, "inbound", segments: 3, logger).ConfigureAwait(false) is not { } form)
        {
            return;
        }

        OrganisationId organisation;
        InboundSms sms;
        try
        {
            organisation = new OrganisationId(organisationId);
            sms = TwilioWebhookParser.ParseInboundMessage(form);
        }
        catch (MessagingValidationException e)
        {
            Log.TwilioWebhookMalformed(logger, "inbound", e.ErrorCode, e.Field);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var optOuts = context.RequestServices.GetRequiredService<IOptOutService>();
        var keyword = await optOuts.HandleInboundAsync(organisation, sms, context.RequestAborted).ConfigureAwait(false);
        var autoReply = context.RequestServices.GetRequiredService<IOptions<MessagingWebOptions>>().Value.InboundSmsReply;
        var reply = keyword == InboundKeyword.None
            && !string.IsNullOrWhiteSpace(autoReply)
            && !await optOuts.IsOptedOutAsync(organisation, sms.From, context.RequestAborted).ConfigureAwait(false)
            ? autoReply
            : null;
        Log.InboundSmsHandled(logger, sms.ProviderMessageId, organisation, keyword, reply is not null);

        // TwiML: an empty <Response/> sends nothing; keywords are answered by Twilio's own opt-out handling.
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/xml; charset=utf-8";
        var twiml = reply is null
            ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>"
            : $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>{SecurityElement.Escape(reply)}</Message></Response>";
        await context.Response.WriteAsync(twiml, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// The form fields of a request whose signature is valid for the public URL, or <see langword="null"/> after
    /// answering 415 (not a form) or 403 (no or wrong signature).
    /// </summary>
    private static async Task<List<KeyValuePair<string, string>>?> ReadSignedFormAsync(HttpContext context, string webhook, int segments, ILogger logger)
    {
        if (!context.Request.HasFormContentType)
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return null;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var fields = new List<KeyValuePair<string, string>>(form.Count);
        foreach (var (name, values) in form)
        {
            foreach (var value in values)
            {
                fields.Add(new(name, value ?? string.Empty));
            }
        }

        var validator = context.RequestServices.GetRequiredService<TwilioRequestValidator>();
        var url = PublicUrl(context, segments);
        if (!validator.IsValid(url, fields, context.Request.Headers[TwilioRequestValidator.SignatureHeader].ToString()))
        {
            Log.TwilioSignatureRefused(logger, webhook);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return null;
        }

        return fields;
    }

    /// <summary>
    /// The URL Twilio called, as Twilio saw it: <c>Messaging:PublicBaseUrl</c>, then the request's last
    /// <paramref name="segments"/> path segments and its query, byte for byte as received. Behind a proxy or a path
    /// base the address Kestrel sees differs from the public one, which is what Twilio signs.
    /// </summary>
    internal static string PublicUrl(HttpContext context, int segments)
    {
        var baseUrl = context.RequestServices.GetRequiredService<IOptions<PatientMessagingOptions>>().Value.PublicBaseUrl
            ?? throw new InvalidOperationException("Messaging:PublicBaseUrl is not set.");
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/')
        {
            raw = (context.Request.PathBase + context.Request.Path).ToUriComponent() + context.Request.QueryString.ToUriComponent();
        }

        var queryStart = raw.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? raw : raw[..queryStart];
        var query = queryStart < 0 ? string.Empty : raw[queryStart..];
        var start = path.Length;
        for (var i = 0; i < segments && start > 0; i++)
        {
            start = path.LastIndexOf('/', start - 1);
        }

        var relative = path[(start + 1)..];
        var root = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl.AbsoluteUri : baseUrl.AbsoluteUri + "/";
        return root + relative + query;
    }

    private static ILogger Logger(HttpContext context)
        => context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TwilioWebhookEndpoints).FullName!);
}
