namespace Messaging;

/// <summary>An email to hand to a provider.</summary>
/// <param name="To">The recipient.</param>
/// <param name="Subject">The subject line.</param>
/// <param name="TextBody">The plain-text body (always present, for clients that do not render HTML).</param>
/// <param name="IdempotencyKey">Stable for the message across retries; SMTP providers derive the Message-ID from it.</param>
public sealed record EmailSendRequest(EmailAddress To, string Subject, string TextBody, string IdempotencyKey)
{
    /// <summary>The recipient's display name, if any.</summary>
    public string? ToName { get; init; }

    /// <summary>An HTML body sent alongside the text one (multipart/alternative), if any.</summary>
    public string? HtmlBody { get; init; }

    /// <summary>
    /// The organisation the message is sent for (R26), so a provider serving several organisations can tell them apart;
    /// <see langword="null"/> when the caller sends outside an organisation (e.g. a system email).
    /// </summary>
    public OrganisationId? OrganisationId { get; init; }

    /// <summary>The idempotency key only: the address, subject and bodies are patient data (R22).</summary>
    public override string ToString() => $"EmailSendRequest {{ IdempotencyKey = {IdempotencyKey} }}";
}

/// <summary>Sends email through one provider (SMTP, or any other a vendor plugs in).</summary>
/// <remarks>
/// Same contract as <see cref="ISmsProvider"/>: stateless and thread-safe, failures returned not thrown,
/// nothing personal logged.
/// </remarks>
public interface IEmailProvider
{
    /// <summary>A short stable name (e.g. <c>smtp</c>), recorded with each message.</summary>
    string Name { get; }

    /// <summary>Hands one email to the provider.</summary>
    /// <param name="request">The message.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Accepted with the provider's id, or a transient or permanent failure.</returns>
    Task<ProviderSendResult> SendAsync(EmailSendRequest request, CancellationToken cancellationToken = default);
}
