using System.Collections.Concurrent;
using NodaTime;

namespace Messaging.SampleApp.Dev;

/// <summary>An SMS the dev phone received.</summary>
public sealed record DevSms(string Id, PhoneNumber To, string Body, Instant ReceivedAt);

/// <summary>An email the dev mailbox received.</summary>
public sealed record DevEmail(string Id, EmailAddress To, string Subject, string TextBody, Instant ReceivedAt);

/// <summary>
/// The development SMS provider: keeps every SMS in memory for the "dev phone" page instead of sending it, so the
/// sample runs without a Twilio account. Replaced by Twilio when <c>Messaging:Twilio</c> is configured.
/// </summary>
public sealed class DevPhone(IClock clock) : ISmsProvider
{
    private readonly ConcurrentQueue<DevSms> _received = new();

    /// <inheritdoc />
    public string Name => "dev-phone";

    /// <summary>Everything received, newest first.</summary>
    public IReadOnlyList<DevSms> Received => [.. _received.Reverse()];

    /// <inheritdoc />
    public Task<ProviderSendResult> SendAsync(SmsSendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = "dev-sms-" + Guid.NewGuid().ToString("N")[..12];
        _received.Enqueue(new DevSms(id, request.To, request.Body, clock.GetCurrentInstant()));
        return Task.FromResult(ProviderSendResult.Accepted(id) with { RawStatus = "delivered" });
    }
}

/// <summary>
/// The development email provider: keeps every email in memory for the "dev mailbox" page. Replaced by SMTP when
/// <c>Messaging:Smtp</c> is configured.
/// </summary>
public sealed class DevMailbox(IClock clock) : IEmailProvider
{
    private readonly ConcurrentQueue<DevEmail> _received = new();

    /// <inheritdoc />
    public string Name => "dev-mailbox";

    /// <summary>Everything received, newest first.</summary>
    public IReadOnlyList<DevEmail> Received => [.. _received.Reverse()];

    /// <inheritdoc />
    public Task<ProviderSendResult> SendAsync(EmailSendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = "dev-email-" + Guid.NewGuid().ToString("N")[..12];
        _received.Enqueue(new DevEmail(id, request.To, request.Subject, request.TextBody, clock.GetCurrentInstant()));
        return Task.FromResult(ProviderSendResult.Accepted(id) with { RawStatus = "delivered" });
    }
}
