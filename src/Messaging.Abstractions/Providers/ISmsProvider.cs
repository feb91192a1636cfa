namespace Messaging;

/// <summary>An SMS to hand to a provider.</summary>
/// <param name="To">The recipient, in E.164.</param>
/// <param name="Body">The text, already rendered. Patient data: providers must never log it.</param>
/// <param name="IdempotencyKey">
/// Stable for the message across retries, so a provider (or its operator) can recognise a repeat.
/// </param>
public sealed record SmsSendRequest(PhoneNumber To, string Body, string IdempotencyKey)
{
    /// <summary>Where the provider should post delivery reports, if the host has a webhook for it.</summary>
    public Uri? StatusCallback { get; init; }

    /// <summary>
    /// The organisation the message is sent for (R26), so a provider serving several organisations can tell them apart;
    /// <see langword="null"/> when the caller sends outside an organisation.
    /// </summary>
    public OrganisationId? OrganisationId { get; init; }

    /// <summary>The idempotency key only: the number and body are patient data (R22).</summary>
    public override string ToString() => $"SmsSendRequest {{ IdempotencyKey = {IdempotencyKey} }}";
}

/// <summary>Sends SMS through one provider (Twilio, or any other a vendor plugs in).</summary>
/// <remarks>
/// <para>Implementations are stateless and thread-safe: the outbox dispatcher calls them concurrently.</para>
/// <para>Failure contract: a provider <b>returns</b> <see cref="ProviderSendResult.Transient"/> or
/// <see cref="ProviderSendResult.Permanent"/> for anything the provider or the network said, and throws only for
/// programming errors and cancellation. It never logs phone numbers, bodies or credentials (R22).</para>
/// </remarks>
public interface ISmsProvider
{
    /// <summary>A short stable name (e.g. <c>twilio</c>), recorded with each message and matched by delivery reports.</summary>
    string Name { get; }

    /// <summary>Hands one SMS to the provider.</summary>
    /// <param name="request">The message.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Accepted with the provider's id, or a transient or permanent failure.</returns>
    Task<ProviderSendResult> SendAsync(SmsSendRequest request, CancellationToken cancellationToken = default);
}
