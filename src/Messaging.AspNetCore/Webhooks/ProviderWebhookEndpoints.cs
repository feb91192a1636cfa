using System.Text;
using Messaging.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.AspNetCore.Webhooks;

/// <summary>
/// Serves every registered <see cref="IProviderWebhookHandler"/>'s routes (R27): reads the request into a
/// <see cref="ProviderWebhookRequest"/> whose public URL is <c>PublicBaseUrl</c> + the route (parameters filled in) + the
/// query, has the handler authenticate it (403 otherwise), then applies status reports forward-only (R13) or handles an
/// inbound text for a known organisation (R14). Knows no provider.
/// </summary>
internal static class ProviderWebhookEndpoints
{
    /// <summary>The largest raw (non-form) webhook body read; providers' callbacks are a few kilobytes.</summary>
    private const int MaxRawBody = 256 * 1024;

    /// <summary>Maps each handler's routes on the group, refusing two handlers with one name or one route.</summary>
    public static void Map(RouteGroupBuilder group, IEnumerable<IProviderWebhookHandler> handlers)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var templates = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var handler in handlers)
        {
            if (!ProviderWebhookRoutes.IsValidName(handler.Name) || !names.Add(handler.Name))
            {
                throw new InvalidOperationException(
                    $"Provider webhook handler '{handler.Name}' ({handler.GetType().FullName}) has an invalid or duplicate name: names are unique lower-case letters, digits and hyphens.");
            }

            foreach (var route in handler.Routes)
            {
                var template = route.Template.TrimStart('/');
                if (!templates.Add(template))
                {
                    throw new InvalidOperationException($"Provider webhook route '{template}' of '{handler.Name}' is mapped twice.");
                }

                if (route.Kind == ProviderWebhookKind.Inbound && !template.Contains("{" + ProviderWebhookRoutes.OrganisationIdParameter + "}", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"Inbound webhook route '{template}' of '{handler.Name}' has no {{{ProviderWebhookRoutes.OrganisationIdParameter}}} parameter.");
                }

                RequestDelegate endpoint = route.Kind == ProviderWebhookKind.Status
                    ? context => StatusAsync(context, handler, route)
                    : context => InboundAsync(context, handler, route);
                group.MapPost(template, endpoint)
                    .WithDisplayName($"{handler.Name} {route.Kind} webhook{(route.Deprecated ? " (deprecated path)" : string.Empty)}")
                    .ExcludeFromDescription();
            }
        }
    }

    /// <summary>Applies delivery reports. Repeats and late, older statuses change nothing (R13); the provider gets 204 either way.</summary>
    private static async Task StatusAsync(HttpContext context, IProviderWebhookHandler handler, ProviderWebhookRoute route)
    {
        var logger = Logger(context);
        if (await ReadAuthenticatedAsync(context, handler, route, organisationId: null, logger).ConfigureAwait(false) is not { } request)
        {
            return;
        }

        IReadOnlyList<DeliveryStatusUpdate> updates;
        try
        {
            updates = handler.ParseStatusReports(request);
        }
        catch (MessagingValidationException e)
        {
            Log.WebhookMalformed(logger, handler.Name, route.Kind, e.ErrorCode, e.Field);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var statuses = context.RequestServices.GetRequiredService<IDeliveryStatusService>();
        foreach (var update in updates)
        {
            // A handler reports for its own provider only: its messages are the ones it may move.
            var own = update with { ProviderName = handler.Name };
            var outcome = await statuses.ApplyAsync(own, context.RequestAborted).ConfigureAwait(false);
            Log.StatusApplied(logger, handler.Name, own.ProviderMessageId, own.RawStatus, outcome);
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>
    /// Handles a text a patient sent to an organisation's number: STOP-like keywords opt the number out and START/UNSTOP
    /// back in (R14). Anything else is read by nobody (replies go through reply links, R12), so the patient is told so
    /// by the configured auto-reply, unless their number is opted out. An unknown organisation is refused with 404.
    /// </summary>
    private static async Task InboundAsync(HttpContext context, IProviderWebhookHandler handler, ProviderWebhookRoute route)
    {
        var logger = Logger(context);
        var raw = context.Request.RouteValues[ProviderWebhookRoutes.OrganisationIdParameter] as string;
        if (!OrganisationId.TryParse(raw, null, out var organisation))
        {
            Log.WebhookMalformed(logger, handler.Name, route.Kind, MessagingErrorCodes.InvalidId, ProviderWebhookRoutes.OrganisationIdParameter);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (await ReadAuthenticatedAsync(context, handler, route, organisation, logger).ConfigureAwait(false) is not { } request)
        {
            return;
        }

        var store = context.RequestServices.GetRequiredService<IMessagingStore>();
        if (await store.GetOrganisationAsync(organisation, context.RequestAborted).ConfigureAwait(false) is null)
        {
            // Neither the sender's number nor the text is logged (R22): the organisation id is the host's own.
            Log.InboundForUnknownOrganisation(logger, handler.Name, organisation);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        InboundSms sms;
        try
        {
            sms = handler.ParseInboundText(request);
        }
        catch (MessagingValidationException e)
        {
            Log.WebhookMalformed(logger, handler.Name, route.Kind, e.ErrorCode, e.Field);
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
        Log.InboundSmsHandled(logger, handler.Name, sms.ProviderMessageId, organisation, keyword, reply is not null);

        var response = handler.CreateInboundResponse(reply);
        context.Response.StatusCode = response.StatusCode;
        if (response.ContentType is not null)
        {
            context.Response.ContentType = response.ContentType;
        }

        if (response.Body is not null)
        {
            await context.Response.WriteAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The request, authenticated by the handler; or <see langword="null"/> after answering 415 (a form route given no
    /// form), 413 (a raw body too large) or 403 (not authenticated).
    /// </summary>
    private static async Task<ProviderWebhookRequest?> ReadAuthenticatedAsync(
        HttpContext context, IProviderWebhookHandler handler, ProviderWebhookRoute route, OrganisationId? organisationId, ILogger logger)
    {
        var http = context.Request;
        var fields = new List<KeyValuePair<string, string>>();
        var body = ReadOnlyMemory<byte>.Empty;
        if (route.Content == ProviderWebhookContent.Form)
        {
            if (!http.HasFormContentType)
            {
                context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
                return null;
            }

            var form = await http.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            foreach (var (name, values) in form)
            {
                foreach (var value in values)
                {
                    fields.Add(new(name, value ?? string.Empty));
                }
            }
        }
        else
        {
            using var buffer = new MemoryStream();
            await http.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            if (buffer.Length > MaxRawBody)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return null;
            }

            body = buffer.ToArray();
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in http.Headers)
        {
            headers[name] = values.ToString();
        }

        var request = new ProviderWebhookRequest
        {
            Method = http.Method,
            PublicUrl = PublicUrl(context, route.Template, organisationId),
            Headers = headers,
            ContentType = http.ContentType,
            Form = fields,
            Body = body,
            OrganisationId = organisationId,
        };

        if (!await handler.AuthenticateAsync(request, context.RequestAborted).ConfigureAwait(false))
        {
            Log.WebhookRefused(logger, handler.Name, route.Kind);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return null;
        }

        if (route.Deprecated)
        {
            Log.DeprecatedWebhookPath(logger, handler.Name, route.Template);
        }

        return request;
    }

    /// <summary>
    /// The URL the provider called, as it knows it: <c>PublicBaseUrl</c> (through <see cref="IMessagingPublicUrls"/>),
    /// then the route's template with <c>{organisationId}</c> filled in (escaped), then the query string byte for byte as
    /// received. Neither the Host header nor the path the app sees counts: behind a proxy or a path base they differ from
    /// the public URL, which is what providers sign.
    /// </summary>
    internal static string PublicUrl(HttpContext context, string template, OrganisationId? organisationId)
    {
        var path = template.TrimStart('/');
        if (organisationId is { } organisation)
        {
            path = path.Replace("{" + ProviderWebhookRoutes.OrganisationIdParameter + "}", Uri.EscapeDataString(organisation.Value), StringComparison.Ordinal);
        }

        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var queryStart = raw?.IndexOf('?', StringComparison.Ordinal) ?? -1;
        var query = queryStart >= 0 ? raw![queryStart..] : context.Request.QueryString.ToUriComponent();
        var url = context.RequestServices.GetRequiredService<IMessagingPublicUrls>().Resolve(path).OriginalString;
        return new StringBuilder(url.Length + query.Length).Append(url).Append(query).ToString();
    }

    private static ILogger Logger(HttpContext context)
        => context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ProviderWebhookEndpoints).FullName!);
}
