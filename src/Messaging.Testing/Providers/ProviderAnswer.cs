namespace Messaging.Testing.Providers;

/// <summary>
/// How the provider's test server answers the send a conformance test is about to make. A harness arranges its server
/// (or picks a recipient its server treats that way) in <c>CreateProviderAsync</c>.
/// </summary>
public enum ProviderAnswer
{
    /// <summary>The provider accepts the message and gives its id for it (e.g. HTTP 201 with a message id, SMTP 250).</summary>
    Accept = 0,

    /// <summary>A failure worth retrying: a server error (HTTP 5xx) or an SMTP 4xx reply (e.g. <c>451</c>).</summary>
    FailTransiently = 1,

    /// <summary>
    /// The provider is throttling (e.g. HTTP 429) and asks to wait <see cref="ProviderConformance.RetryAfter"/> before
    /// trying again (e.g. <c>Retry-After: 37</c>).
    /// </summary>
    Throttle = 2,

    /// <summary>A failure not worth retrying: an invalid number, a refused mailbox (SMTP <c>550</c>), a recipient the provider will not send to.</summary>
    FailPermanently = 3,

    /// <summary>
    /// The server does not answer within the provider's own timeout, which the harness sets short (a second or so), so the
    /// send ends by itself with a transient failure.
    /// </summary>
    TimeOut = 4,

    /// <summary>The server never answers (and the provider's own timeout is long): only the caller's cancellation ends the send.</summary>
    Hang = 5,
}
