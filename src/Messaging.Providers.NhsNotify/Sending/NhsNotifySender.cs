using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Messaging.Providers.NhsNotify.Sending;

/// <summary>
/// One <c>POST /v1/messages</c> per message, shared by the SMS and email providers: JSON:API body with the routing plan,
/// <c>messageReference</c> = the SDK's idempotency key, the recipient's contact details and the personalisation fields.
/// Stateless and thread-safe; failures are returned, never thrown.
/// </summary>
/// <remarks>
/// <para><b>The provider message id is the <c>messageReference</c></b> (the SDK's idempotency key), not NHS Notify's own id:
/// NHS Notify refuses a second message with the same reference (HTTP 422 <c>CM_DUPLICATE_REQUEST</c>) without saying which
/// message has it, and every callback carries the reference. So a retry after an uncertain result (a timeout, a lost
/// answer) is recognised as the original message, accepted under the same id, and its callbacks still find it. NHS
/// Notify's id is logged (it is what NHS Notify support asks for).</para>
/// <para>No retry inside the HTTP pipeline (timeout and circuit breaker only): the outbox dispatcher retries (R20), and the
/// reference makes that safe.</para>
/// </remarks>
/// <remarks>One per named registration (R26): its own options (API key, application), HttpClient and circuit breaker.</remarks>
internal sealed class NhsNotifySender(
    NhsNotifyRegistration registration,
    IHttpClientFactory httpClientFactory,
    IOptionsMonitor<NhsNotifyOptions> options,
    IClock clock,
    ILogger<NhsNotifySender> logger)
{
    /// <summary>The name of the <see cref="HttpClient"/> (with its timeout and circuit breaker).</summary>
    public const string HttpClientName = "Messaging.Providers.NhsNotify";

    /// <summary>The JSON:API media type NHS Notify documents (it also accepts <c>application/json</c>).</summary>
    public const string MediaType = "application/vnd.api+json";

    /// <summary>The registration's name: its providers' and webhook handler's.</summary>
    public string Name => registration.Name;

    public NhsNotifyOptions Current => options.Get(registration.OptionsName);

    public async Task<ProviderSendResult> SendAsync(string channel, Guid routingPlanId, string messageReference, ContactDetails contact, IReadOnlyDictionary<string, string> personalisation, CancellationToken cancellationToken)
    {
        var current = Current;
        using var message = CreateRequest(current, routingPlanId, messageReference, contact, personalisation);
        var client = httpClientFactory.CreateClient(registration.HttpClientName);
        try
        {
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            return await ReadAsync(channel, messageReference, response, cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException e)
        {
            Log.CircuitOpen(logger, e.RetryAfter);
            return ProviderSendResult.Transient("circuit_open", "NHS Notify failed repeatedly; sends are paused briefly before trying again.") with { RetryAfter = e.RetryAfter };
        }
        catch (TimeoutRejectedException)
        {
            return TimedOut(current.Timeout);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return TimedOut(current.Timeout);
        }
        catch (HttpRequestException e)
        {
            var reason = e.HttpRequestError.ToString();
            Log.Unreachable(logger, e, reason);
            return ProviderSendResult.Transient("network", $"Could not reach NHS Notify ({reason}).");
        }
    }

    internal static HttpRequestMessage CreateRequest(NhsNotifyOptions options, Guid routingPlanId, string messageReference, ContactDetails contact, IReadOnlyDictionary<string, string> personalisation)
    {
        var body = new CreateMessageRequest(new CreateMessageData(
            "Message",
            new CreateMessageAttributes(routingPlanId.ToString("D"), messageReference, new MessageRecipient(contact), personalisation)));
        var message = new HttpRequestMessage(HttpMethod.Post, MessagesUri(options))
        {
            Content = JsonContent.Create(body, NhsNotifyJsonContext.Default.CreateMessageRequest, new MediaTypeHeaderValue(MediaType)),
        };
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaType));
        if (!string.IsNullOrWhiteSpace(options.AccessToken))
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.AccessToken);
        }

        return message;
    }

    /// <summary><c>{BaseUrl}/v1/messages</c>, keeping the base URL's path (e.g. <c>/comms</c>).</summary>
    internal static Uri MessagesUri(NhsNotifyOptions options) => new($"{options.BaseUrl.AbsoluteUri.TrimEnd('/')}/v1/messages");

    private async Task<ProviderSendResult> ReadAsync(string channel, string messageReference, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var http = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            var created = await TryReadAsync(response, NhsNotifyJsonContext.Default.MessageCreatedResponse, cancellationToken).ConfigureAwait(false);
            if (created?.Data?.Id is not { Length: > 0 } id)
            {
                // NHS Notify created it; the reference is the id callbacks carry, so nothing is lost but its own id.
                Log.UnreadableSuccess(logger, http);
                return ProviderSendResult.Accepted(messageReference);
            }

            var status = created.Data.Attributes?.MessageStatus;
            Log.Accepted(logger, channel, messageReference, id, status);
            return ProviderSendResult.Accepted(messageReference) with { RawStatus = status };
        }

        var error = await TryReadAsync(response, NhsNotifyJsonContext.Default.ErrorResponse, cancellationToken).ConfigureAwait(false);
        var code = error?.Errors?.FirstOrDefault()?.Code;
        if (response.StatusCode == HttpStatusCode.UnprocessableContent && string.Equals(code, NhsNotifyErrors.DuplicateRequest, StringComparison.Ordinal))
        {
            Log.Duplicate(logger, messageReference);
            return ProviderSendResult.Accepted(messageReference) with { RawStatus = "duplicate" };
        }

        var result = NhsNotifyErrors.Map(response.StatusCode, code, response.Headers, clock.GetCurrentInstant());
        if (result.Failure == ProviderFailureKind.Transient)
        {
            Log.FailedTransiently(logger, channel, http, result.ErrorCode!, result.RetryAfter);
        }
        else
        {
            Log.RefusedPermanently(logger, channel, http, result.ErrorCode!);
        }

        return result;
    }

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
        return ProviderSendResult.Transient("timeout", string.Create(CultureInfo.InvariantCulture, $"NHS Notify did not answer within {timeout.TotalSeconds:0.#} s; a retry reuses the message reference, so it cannot send twice."));
    }
}
