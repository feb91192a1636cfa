using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.AspNetCore.Pages;

/// <summary>
/// Rate limits for the SDK's anonymous endpoints (R21): per link (the request path, so one reply, Direct-Message or
/// download link) and per client (its IP address, as the host's forwarded-headers set-up reports it) on the patient
/// pages, and per client on the providers' webhooks. Fixed one-minute windows; a limit of 0 is off. In memory, per
/// instance: behind a load balancer each instance counts its own share.
/// </summary>
internal sealed class PatientEndpointLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _links;
    private readonly PartitionedRateLimiter<string>? _clients;
    private readonly PartitionedRateLimiter<string>? _webhooks;

    public PatientEndpointLimiter(IOptions<MessagingWebOptions> options)
    {
        var web = options.Value;
        _links = Create(web.LinkRequestsPerMinute);
        _clients = Create(web.ClientRequestsPerMinute);
        _webhooks = Create(web.WebhookRequestsPerMinute);
    }

    /// <summary>Whether a patient-page request may go ahead; counts it against its link and its client.</summary>
    public bool TryAcquirePage(HttpContext context)
        => Acquire(_clients, Client(context)) && Acquire(_links, context.Request.Path.Value ?? string.Empty);

    /// <summary>Whether a webhook request may go ahead; counts it against its client.</summary>
    public bool TryAcquireWebhook(HttpContext context) => Acquire(_webhooks, Client(context));

    public void Dispose()
    {
        _links?.Dispose();
        _clients?.Dispose();
        _webhooks?.Dispose();
    }

    private static string Client(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static bool Acquire(PartitionedRateLimiter<string>? limiter, string key)
    {
        if (limiter is null)
        {
            return true;
        }

        using var lease = limiter.AttemptAcquire(key);
        return lease.IsAcquired;
    }

    private static PartitionedRateLimiter<string>? Create(int perMinute) => perMinute <= 0
        ? null
        : PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
}

/// <summary>
/// Endpoint filters that run before an anonymous endpoint reads anything: the rate limits of
/// <see cref="PatientEndpointLimiter"/> (429, with a kind page for patients and <c>Retry-After</c>), and a body limit
/// per endpoint (413), set on the server's request-body feature so a body larger than the endpoint could accept is
/// never read past the limit, whatever Kestrel's default.
/// </summary>
internal static class PatientEndpointGuards
{
    /// <summary>The largest code form: a token, the anti-forgery field and a code are well under it.</summary>
    public const long CodeFormBytes = 16 * 1024;

    /// <summary>What a reply form adds to its file: the text (at most a few KB as UTF-8), the fields and the multipart framing.</summary>
    public const long ReplyFormOverheadBytes = 64 * 1024;

    /// <summary>The largest webhook body: providers' callbacks are a few kilobytes.</summary>
    public const long WebhookBytes = 256 * 1024;

    private const string RetryAfterSeconds = "60";

    /// <summary>A patient page: rate-limited, and POST bodies bounded by <paramref name="maxBody"/>.</summary>
    public static Func<EndpointFilterInvocationContext, EndpointFilterDelegate, ValueTask<object?>> Page(Func<IServiceProvider, long> maxBody)
        => async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            var services = context.RequestServices;
            if (!services.GetRequiredService<PatientEndpointLimiter>().TryAcquirePage(context))
            {
                Log.PatientPageRateLimited(Logger(services));
                context.Response.Headers.RetryAfter = RetryAfterSeconds;
                await PatientPages.SendAsync(context, new PatientPage { Kind = PatientPageKind.TooManyRequests, StatusCode = StatusCodes.Status429TooManyRequests }).ConfigureAwait(false);
                return Results.Empty;
            }

            if (HttpMethods.IsPost(context.Request.Method) && !Bounded(context, maxBody(services)))
            {
                await TooLargeAsync(context).ConfigureAwait(false);
                return Results.Empty;
            }

            try
            {
                return await next(invocation).ConfigureAwait(false);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
            {
                await TooLargeAsync(context).ConfigureAwait(false);
                return Results.Empty;
            }
        };

    /// <summary>A provider's webhook: rate-limited per client, bodies bounded by <see cref="WebhookBytes"/>.</summary>
    public static async ValueTask<object?> WebhookAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        if (!context.RequestServices.GetRequiredService<PatientEndpointLimiter>().TryAcquireWebhook(context))
        {
            Log.WebhookRateLimited(Logger(context.RequestServices));
            context.Response.Headers.RetryAfter = RetryAfterSeconds;
            return Results.StatusCode(StatusCodes.Status429TooManyRequests);
        }

        if (!Bounded(context, WebhookBytes))
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        try
        {
            return await next(invocation).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }
    }

    /// <summary>The reply form's limit: the largest attachment plus the form around it.</summary>
    public static long ReplyFormBytes(IServiceProvider services)
        => services.GetRequiredService<IOptions<AttachmentOptions>>().Value.MaxBytes + ReplyFormOverheadBytes;

    /// <summary>False when the declared length is over <paramref name="limit"/>; otherwise caps what the server will read.</summary>
    private static bool Bounded(HttpContext context, long limit)
    {
        if (context.Request.ContentLength > limit)
        {
            return false;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature
            && (feature.MaxRequestBodySize is null || feature.MaxRequestBodySize > limit))
        {
            feature.MaxRequestBodySize = limit;
        }

        return true;
    }

    private static Task TooLargeAsync(HttpContext context)
        => PatientPages.SendAsync(context, new PatientPage { Kind = PatientPageKind.RequestTooLarge, StatusCode = StatusCodes.Status413PayloadTooLarge });

    private static ILogger Logger(IServiceProvider services)
        => services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PatientEndpointGuards).FullName!);
}
