using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using NodaTime;

namespace Messaging.Providers.Twilio.Sending;

/// <summary>
/// Turns Twilio's error answers into <see cref="ProviderSendResult"/>s: 429, 408 and 5xx are transient (with the
/// <c>Retry-After</c> Twilio asked for), every other 4xx is permanent with Twilio's error code, and 21610
/// (the recipient replied STOP to this sender) also reports the opt-out (R14).
/// </summary>
/// <remarks>
/// Descriptions are written here, never copied from Twilio's <c>message</c>, which often quotes the phone number:
/// a <see cref="ProviderSendResult.ErrorDescription"/> is stored and shown to operators and must carry no patient data.
/// </remarks>
internal static class TwilioErrors
{
    /// <summary>Twilio's "unsubscribed recipient" error: the number replied STOP to this sender.</summary>
    public const int Unsubscribed = 21610;

    private static readonly Dictionary<int, string> Descriptions = new()
    {
        [20003] = "Twilio refused the credentials: check AccountSid and AuthToken (or ApiKeySid and ApiKeySecret).",
        [20404] = "Twilio does not know the account or resource: check AccountSid.",
        [20429] = "Twilio is throttling requests from this account.",
        [21211] = "The recipient's number is not a valid phone number for Twilio.",
        [21408] = "The Twilio account is not permitted to send SMS to the recipient's country.",
        [21602] = "The message body is empty.",
        [21606] = "The 'From' sender cannot send SMS to this recipient, or is not a number of the account.",
        [Unsubscribed] = "The recipient has unsubscribed from this sender (replied STOP); they must reply START to receive SMS again.",
        [21612] = "Twilio cannot route a message from this sender to the recipient's number.",
        [21614] = "The recipient's number is not a mobile number.",
        [21617] = "The message body is longer than Twilio accepts.",
    };

    /// <summary>The result of an answer that is not a 2xx.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="twilioCode">Twilio's error code from the body, when there is one.</param>
    /// <param name="headers">The response headers (for <c>Retry-After</c> and <c>Date</c>).</param>
    /// <param name="now">The current instant, used when <c>Retry-After</c> is a date and the answer has no <c>Date</c>.</param>
    public static ProviderSendResult Map(HttpStatusCode status, int? twilioCode, HttpResponseHeaders headers, Instant now)
    {
        var http = (int)status;
        var code = twilioCode?.ToString(CultureInfo.InvariantCulture) ?? $"http_{http}";
        var description = Describe(http, twilioCode);

        if (IsTransient(status))
        {
            return ProviderSendResult.Transient(code, description) with { RetryAfter = RetryAfter(headers, now) };
        }

        return ProviderSendResult.Permanent(code, description) with { RecipientOptedOut = twilioCode == Unsubscribed };
    }

    /// <summary>429 (throttled), 408 (request timeout) and every 5xx are worth retrying; any other status is not.</summary>
    public static bool IsTransient(HttpStatusCode status)
        => status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;

    /// <summary>A description for operators, without patient data.</summary>
    public static string Describe(int httpStatus, int? twilioCode)
    {
        if (twilioCode is { } code)
        {
            var what = Descriptions.TryGetValue(code, out var known) ? known + " " : string.Empty;
            return $"{what}Twilio error {code} (HTTP {httpStatus}); see https://www.twilio.com/docs/errors/{code}";
        }

        return httpStatus switch
        {
            429 => "Twilio is throttling requests (HTTP 429).",
            >= 500 => $"Twilio had a server error (HTTP {httpStatus}).",
            401 => "Twilio refused the credentials (HTTP 401).",
            _ => $"Twilio refused the request (HTTP {httpStatus}) without an error code.",
        };
    }

    /// <summary>
    /// <c>Retry-After</c> as a delay: either a number of seconds or an HTTP date, which is measured from the answer's
    /// own <c>Date</c> (Twilio's clock) when present, else from <paramref name="now"/>. A date in the past is no delay.
    /// </summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers, Instant now)
    {
        if (headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        if (retryAfter.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (retryAfter.Date is { } date)
        {
            var reference = headers.Date ?? now.ToDateTimeOffset();
            var wait = date - reference;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
