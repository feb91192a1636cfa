namespace Messaging;

/// <summary>Whether a provider's failure is worth retrying.</summary>
public enum ProviderFailureKind
{
    /// <summary>No failure: the provider accepted the message.</summary>
    None = 0,

    /// <summary>Worth retrying later: a timeout, a refused connection, throttling, a 5xx or an SMTP 4xx reply.</summary>
    Transient = 1,

    /// <summary>Retrying will not help: an invalid or unsubscribed number, a refused recipient, bad credentials.</summary>
    Permanent = 2,
}

/// <summary>
/// What a provider made of a send: accepted (with its message id), or a transient or permanent failure with
/// the provider's own error code. Providers return failures rather than throwing, so the dispatcher can decide
/// to retry, fail over or mark the message failed (R13, R20).
/// </summary>
public sealed record ProviderSendResult
{
    private ProviderSendResult(ProviderFailureKind failure, string? providerMessageId, string? errorCode, string? errorDescription)
    {
        Failure = failure;
        ProviderMessageId = providerMessageId;
        ErrorCode = errorCode;
        ErrorDescription = errorDescription;
    }

    /// <summary>Whether the provider accepted the message.</summary>
    public bool Succeeded => Failure == ProviderFailureKind.None;

    /// <summary>The kind of failure, or <see cref="ProviderFailureKind.None"/>.</summary>
    public ProviderFailureKind Failure { get; }

    /// <summary>The provider's id of the accepted message (e.g. a Twilio <c>SM…</c> sid or an SMTP Message-ID).</summary>
    public string? ProviderMessageId { get; }

    /// <summary>The provider's error code (e.g. Twilio <c>21211</c>, SMTP <c>550</c>), when it gave one.</summary>
    public string? ErrorCode { get; }

    /// <summary>A description of the failure for operators. Must not contain patient data.</summary>
    public string? ErrorDescription { get; }

    /// <summary>The provider's own status word when it accepted the message (e.g. <c>queued</c>).</summary>
    public string? RawStatus { get; init; }

    /// <summary>How many SMS segments the provider counted, when it says.</summary>
    public int? Segments { get; init; }

    /// <summary>How long the provider asked to wait before retrying (e.g. HTTP <c>Retry-After</c>).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The provider reports the recipient has opted out (e.g. Twilio 21610); the number is marked opted out (R14).</summary>
    public bool RecipientOptedOut { get; init; }

    /// <summary>The provider accepted the message.</summary>
    /// <param name="providerMessageId">The provider's id for it.</param>
    public static ProviderSendResult Accepted(string providerMessageId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerMessageId);
        return new ProviderSendResult(ProviderFailureKind.None, providerMessageId, null, null);
    }

    /// <summary>A failure worth retrying.</summary>
    /// <param name="errorCode">The provider's code, if any.</param>
    /// <param name="errorDescription">For operators; no patient data.</param>
    public static ProviderSendResult Transient(string? errorCode, string errorDescription)
        => new(ProviderFailureKind.Transient, null, errorCode, errorDescription);

    /// <summary>A failure not worth retrying.</summary>
    /// <param name="errorCode">The provider's code, if any.</param>
    /// <param name="errorDescription">For operators; no patient data.</param>
    public static ProviderSendResult Permanent(string? errorCode, string errorDescription)
        => new(ProviderFailureKind.Permanent, null, errorCode, errorDescription);
}
