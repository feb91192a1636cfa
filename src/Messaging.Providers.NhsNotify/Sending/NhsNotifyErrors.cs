using System.Net;
using System.Net.Http.Headers;
using NodaTime;

namespace Messaging.Providers.NhsNotify.Sending;

/// <summary>
/// Turns NHS Notify's error answers (every one <c>POST /v1/messages</c> documents) into <see cref="ProviderSendResult"/>s:
/// 408, 425, 429 and 5xx are transient (with <c>Retry-After</c>), every other 4xx is permanent. The error code is NHS
/// Notify's (<c>CM_INVALID_VALUE</c>, …) when the body has one, else <c>http_{status}</c>.
/// </summary>
/// <remarks>Descriptions are written here, never copied from NHS Notify's <c>detail</c>, which may quote the refused value.</remarks>
internal static class NhsNotifyErrors
{
    /// <summary>The error code of a 422 answer: the <c>messageReference</c> was already used, so the message exists.</summary>
    public const string DuplicateRequest = "CM_DUPLICATE_REQUEST";

    public static ProviderSendResult Map(HttpStatusCode status, string? errorCode, HttpResponseHeaders headers, Instant now)
    {
        var http = (int)status;
        var code = string.IsNullOrWhiteSpace(errorCode) || errorCode.Length > 64 || !errorCode.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? $"http_{http}"
            : errorCode;
        var description = Describe(http, code);
        return IsTransient(status)
            ? ProviderSendResult.Transient(code, description) with { RetryAfter = RetryAfter(headers, now) }
            : ProviderSendResult.Permanent(code, description);
    }

    /// <summary>408 (timeout), 425 (retried too early), 429 (throttled) and every 5xx are worth retrying.</summary>
    public static bool IsTransient(HttpStatusCode status)
        => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status == 425 || (int)status >= 500;

    private static string Describe(int http, string code) => http switch
    {
        400 => $"NHS Notify could not process the message (HTTP 400, {code}): a recipient detail or personalisation field was refused.",
        401 => $"NHS Notify refused the credentials (HTTP 401, {code}): check AccessToken.",
        403 => $"NHS Notify forbade the request (HTTP 403, {code}): the application is not allowed this routing plan or action.",
        404 => $"NHS Notify does not know the routing plan (HTTP 404, {code}): check SmsRoutingPlanId and EmailRoutingPlanId.",
        408 => $"NHS Notify timed out processing the request (HTTP 408, {code}).",
        413 => $"The message is larger than NHS Notify accepts (HTTP 413, {code}).",
        415 => $"NHS Notify refused the content type (HTTP 415, {code}).",
        422 => $"NHS Notify refused the message (HTTP 422, {code}).",
        425 => $"NHS Notify asked to retry later (HTTP 425, {code}).",
        429 => $"NHS Notify is throttling requests (HTTP 429, {code}).",
        >= 500 => $"NHS Notify had a server error (HTTP {http}, {code}).",
        _ => $"NHS Notify refused the request (HTTP {http}, {code}).",
    };

    /// <summary><c>Retry-After</c> as a delay (seconds, or a date measured from the answer's <c>Date</c>); never negative.</summary>
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
            var wait = date - (headers.Date ?? now.ToDateTimeOffset());
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
