using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Messaging.Providers.Twilio.Sending;

/// <summary>
/// <see cref="ISmsProvider"/> over Twilio's REST API: one <c>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</c>
/// per SMS, form-encoded, with HTTP basic auth. Stateless and thread-safe; failures are returned, never thrown.
/// </summary>
/// <remarks>
/// <para><b>No automatic retry of the POST.</b> A POST that creates a message is not idempotent at Twilio (the Messages
/// API has no idempotency key), and a request that timed out may already have created the SMS. Retrying inside the
/// HTTP pipeline would send duplicates behind the outbox's back. So the HTTP pipeline has only a timeout and a circuit
/// breaker; the SDK's outbox dispatcher, which persists attempts and backs off (R20), decides whether and when to try
/// again — with the same idempotency key, sent as <c>I-Twilio-Idempotency-Token</c> so a proxy or Twilio support can
/// correlate the attempts.</para>
/// <para>The <see cref="HttpClient"/> comes from <see cref="IHttpClientFactory"/> per send (the factory pools the
/// handlers, so DNS changes are honoured), and reads <see cref="IOptionsMonitor{TOptions}"/> per send, so rotated
/// credentials take effect without a restart.</para>
/// <para>One instance per named registration (R26): its <see cref="Name"/>, its named options (credentials, sender) and its
/// own named <see cref="HttpClient"/> (circuit breaker), so one organisation's failing account never opens another's
/// circuit.</para>
/// </remarks>
internal sealed class TwilioSmsProvider(
    TwilioRegistration registration,
    IHttpClientFactory httpClientFactory,
    IOptionsMonitor<TwilioSmsOptions> options,
    IClock clock,
    ILogger<TwilioSmsProvider> logger,
    IMessagingPublicUrls? publicUrls = null) : ISmsProvider
{
    /// <summary>The name of the <see cref="HttpClient"/> this provider uses (with its timeout and circuit breaker).</summary>
    public const string HttpClientName = "Messaging.Providers.Twilio";

    /// <summary>The header that carries the SDK's idempotency key. Twilio uses the same name on its own webhooks.</summary>
    public const string IdempotencyHeader = "I-Twilio-Idempotency-Token";

    public string Name => registration.Name;

    public async Task<ProviderSendResult> SendAsync(SmsSendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.IdempotencyKey, nameof(request));

        var current = options.Get(registration.OptionsName);
        using var message = CreateRequest(current, request, publicUrls?.Resolve(ProviderWebhookRoutes.StatusFor(Name, request.IdempotencyKey)));
        var client = httpClientFactory.CreateClient(registration.HttpClientName);

        try
        {
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException e)
        {
            Log.CircuitOpen(logger, e.RetryAfter);
            return ProviderSendResult.Transient("circuit_open", "Twilio failed repeatedly; sends are paused briefly before trying again.") with { RetryAfter = e.RetryAfter };
        }
        catch (TimeoutRejectedException)
        {
            return TimedOut(current.Timeout);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Not the caller's token: HttpClient's own timeout, or a handler's. The request may have reached Twilio.
            return TimedOut(current.Timeout);
        }
        catch (HttpRequestException e)
        {
            var reason = Reason(e);
            Log.Unreachable(logger, e, reason);
            return ProviderSendResult.Transient("network", $"Could not reach Twilio ({reason}).");
        }
    }

    /// <summary>
    /// The form Twilio expects: <c>To</c>, <c>From</c> or <c>MessagingServiceSid</c>, <c>Body</c>, and <c>StatusCallback</c>:
    /// the request's own, else <see cref="TwilioSmsOptions.StatusCallbackUrl"/>, else <paramref name="sdkStatusCallback"/>
    /// (the SDK's status route under <c>PublicBaseUrl</c>, with the message's idempotency key so that a report arriving
    /// before the SDK stored Twilio's SID still finds its message), when there is one.
    /// </summary>
    internal static HttpRequestMessage CreateRequest(TwilioSmsOptions options, SmsSendRequest request, Uri? sdkStatusCallback)
    {
        var form = new List<KeyValuePair<string, string>>(4) { new("To", request.To.Value) };
        form.Add(string.IsNullOrWhiteSpace(options.MessagingServiceSid)
            ? new("From", options.From ?? string.Empty)
            : new("MessagingServiceSid", options.MessagingServiceSid));
        form.Add(new("Body", request.Body));
        if ((request.StatusCallback ?? options.StatusCallbackUrl ?? sdkStatusCallback) is { } callback)
        {
            form.Add(new("StatusCallback", callback.AbsoluteUri));
        }

        var message = new HttpRequestMessage(HttpMethod.Post, MessagesUri(options))
        {
            Content = new FormUrlEncodedContent(form),
        };
        message.Headers.Authorization = BasicAuth(options);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        message.Headers.TryAddWithoutValidation(IdempotencyHeader, request.IdempotencyKey);
        return message;
    }

    /// <summary><c>{BaseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json</c>, keeping any path the base URL has.</summary>
    internal static Uri MessagesUri(TwilioSmsOptions options)
    {
        var root = options.BaseUrl.AbsoluteUri.TrimEnd('/');
        return new Uri($"{root}/2010-04-01/Accounts/{Uri.EscapeDataString(options.AccountSid ?? string.Empty)}/Messages.json");
    }

    /// <summary>Basic auth with the API key when one is set (revocable on its own), the account SID and auth token otherwise.</summary>
    internal static AuthenticationHeaderValue BasicAuth(TwilioSmsOptions options)
    {
        var (user, secret) = string.IsNullOrWhiteSpace(options.ApiKeySid)
            ? (options.AccountSid, options.AuthToken)
            : (options.ApiKeySid, options.ApiKeySecret);
        return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));
    }

    private async Task<ProviderSendResult> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var http = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            var resource = await TryReadAsync(response, TwilioJsonContext.Default.TwilioMessageResource, cancellationToken).ConfigureAwait(false);
            if (resource?.Sid is not { Length: > 0 } sid)
            {
                // Twilio may well have created the message: retrying could text the patient twice.
                Log.UnreadableSuccess(logger, http);
                return ProviderSendResult.Permanent("invalid_response", $"Twilio answered HTTP {http} without a message SID; check BaseUrl. Not retried, as the SMS may have been created.");
            }

            Log.Accepted(logger, sid, resource.Status, resource.NumSegments);
            return ProviderSendResult.Accepted(sid) with { RawStatus = resource.Status, Segments = resource.NumSegments };
        }

        var error = await TryReadAsync(response, TwilioJsonContext.Default.TwilioErrorResource, cancellationToken).ConfigureAwait(false);
        var result = TwilioErrors.Map(response.StatusCode, error?.Code, response.Headers, clock.GetCurrentInstant());
        if (result.Failure == ProviderFailureKind.Transient)
        {
            Log.FailedTransiently(logger, http, result.ErrorCode!, result.RetryAfter);
        }
        else
        {
            Log.RefusedPermanently(logger, http, result.ErrorCode!);
        }

        return result;
    }

    /// <summary>Reads a JSON body, or <see langword="null"/> when the body is empty or not the JSON expected (e.g. an HTML error page).</summary>
    private static async Task<T?> TryReadAsync<T>(HttpResponseMessage response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }

    private ProviderSendResult TimedOut(TimeSpan timeout)
    {
        Log.TimedOut(logger, timeout);
        return ProviderSendResult.Transient("timeout", string.Create(CultureInfo.InvariantCulture, $"Twilio did not answer within {timeout.TotalSeconds:0.#} s; the SMS may have been created."));
    }

    /// <summary>The kind of network failure, without the exception's message.</summary>
    private static string Reason(HttpRequestException e) => e.HttpRequestError.ToString();
}
