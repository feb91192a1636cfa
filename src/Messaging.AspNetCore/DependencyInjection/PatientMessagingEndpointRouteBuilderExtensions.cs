using Messaging.AspNetCore;
using Messaging.AspNetCore.Pages;
using Messaging.AspNetCore.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Patient Messaging SDK's web endpoints.</summary>
public static class PatientMessagingEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the patient pages and webhooks under <paramref name="prefix"/>, which must be the path of
    /// <c>Messaging:PublicBaseUrl</c> (the links sent to patients point there):
    /// <list type="table">
    /// <item><term><c>GET, POST {prefix}/r/{token}</c></term><description>the reply page behind a reply link (R12)</description></item>
    /// <item><term><c>GET, POST {prefix}/d/{token}</c></term><description>the Direct-Message unlock page behind the email link (R18)</description></item>
    /// <item><term><c>GET {prefix}/a/{token}</c></term><description>an attachment's download link (R11)</description></item>
    /// <item><term><c>GET {prefix}/assets/patient.css</c></term><description>the built-in stylesheet</description></item>
    /// <item><term><c>POST {prefix}/sms/{provider}/status</c></term><description>delivery reports of each registered provider's webhook handler, e.g. <c>{prefix}/sms/twilio/status</c> (R13)</description></item>
    /// <item><term><c>POST {prefix}/sms/{provider}/inbound/{organisationId}</c></term><description>texts patients send to the organisation's number at that provider, e.g. <c>{prefix}/sms/twilio/inbound/{organisationId}</c> (R14)</description></item>
    /// </list>
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="prefix">The path the endpoints live under. The default value is <c>/m</c>.</param>
    /// <returns>The group of endpoints, to add conventions such as the host's own rate limiting policies.</returns>
    /// <remarks>
    /// <para>Needs <c>.AddWebEndpoints()</c> on the SDK's builder. Every endpoint allows anonymous callers (patients
    /// and providers have no login with the host), so a host-wide authorization fallback policy does not lock them out.
    /// Forms are protected by ASP.NET Core anti-forgery, validated by the endpoints themselves; patient pages are sent
    /// with <c>Cache-Control: no-store</c>, <c>Referrer-Policy: no-referrer</c> and a strict Content-Security-Policy.
    /// Every patient page and webhook is rate-limited per link and per client before anything is read
    /// (<see cref="MessagingWebOptions.LinkRequestsPerMinute"/>, <see cref="MessagingWebOptions.ClientRequestsPerMinute"/>,
    /// <see cref="MessagingWebOptions.WebhookRequestsPerMinute"/>; 429) and its body is bounded by what it can accept
    /// (the reply form: the largest attachment plus 64 KB; the code form 16 KB; webhooks 256 KB; 413), with no
    /// middleware for the host to add.</para>
    /// <para>Provider webhooks are mapped for every registered <see cref="Messaging.IProviderWebhookHandler"/> (each provider
    /// package registers its own, e.g. <c>.AddTwilioSms()</c> registers <c>twilio</c>), at the routes the handler lists:
    /// normally <see cref="Messaging.ProviderWebhookRoutes"/>, plus deprecated aliases such as Twilio's 1.0 paths
    /// <c>{prefix}/twilio/status</c> and <c>{prefix}/twilio/inbound/{organisationId}</c>. Each request is authenticated by
    /// its handler against the public URL (<c>PublicBaseUrl</c> + the route + the query, never the Host header) and
    /// refused with 403 otherwise; an inbound text to an organisation the store does not know is refused with 404.
    /// Providers put the status route in each send themselves; configure only the inbound URL, e.g.
    /// <c>{PublicBaseUrl}sms/twilio/inbound/{organisationId}</c> on a Twilio number's "A message comes in" webhook.</para>
    /// </remarks>
    /// <exception cref="InvalidOperationException"><c>.AddWebEndpoints()</c> was not called.</exception>
    public static RouteGroupBuilder MapPatientMessaging(this IEndpointRouteBuilder endpoints, string prefix = "/m")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        var registered = endpoints.ServiceProvider.GetService<IServiceProviderIsService>();
        if (registered is null || !registered.IsService(typeof(IPatientPageRenderer)))
        {
            throw new InvalidOperationException(
                "MapPatientMessaging needs the SDK's web services: call services.AddPatientMessaging(...).AddWebEndpoints() first.");
        }

        var group = endpoints.MapGroup(prefix);
        group.AllowAnonymous();
        var replyForm = PatientEndpointGuards.Page(PatientEndpointGuards.ReplyFormBytes);
        var codeForm = PatientEndpointGuards.Page(_ => PatientEndpointGuards.CodeFormBytes);
        group.MapGet("r/{token}", ReplyPageEndpoints.GetAsync).AddEndpointFilter(replyForm).ExcludeFromDescription();
        group.MapPost("r/{token}", ReplyPageEndpoints.PostAsync).AddEndpointFilter(replyForm).ExcludeFromDescription();
        group.MapGet(DirectMessagePageEndpoints.Route, DirectMessagePageEndpoints.GetAsync).AddEndpointFilter(codeForm).ExcludeFromDescription();
        group.MapPost(DirectMessagePageEndpoints.Route, DirectMessagePageEndpoints.PostAsync).AddEndpointFilter(codeForm).ExcludeFromDescription();
        group.MapGet(DownloadEndpoints.Route, DownloadEndpoints.GetAsync).AddEndpointFilter(codeForm).ExcludeFromDescription();
        group.MapGet(PatientPages.StylesheetPath, PatientPages.StylesheetAsync).ExcludeFromDescription();

        // The webhooks get their own (empty-prefix) group, so its rate and size limits apply to every provider's routes.
        var webhooks = group.MapGroup(string.Empty);
        webhooks.AddEndpointFilter(PatientEndpointGuards.WebhookAsync);
        ProviderWebhookEndpoints.Map(webhooks, endpoints.ServiceProvider.GetServices<Messaging.IProviderWebhookHandler>());

        return group;
    }
}
