using MailKit;
using MailKit.Net.Smtp;
using MimeKit;

namespace Messaging.Providers.Smtp;

/// <summary>
/// MailKit's SMTP client asking for delivery status notifications (RFC 3461) the way the SDK needs them: failure and
/// delay (and success when configured) per recipient, only the original's headers returned (<c>RET=HDRS</c>: a report
/// never carries the patient's email back), and the envelope id <see cref="SmtpMessages.EnvelopeIdFor"/> (the left part
/// of the Message-ID, derived from the idempotency key). MailKit sends these parameters only to a relay that
/// advertises <c>DSN</c>.
/// </summary>
internal sealed class DsnSmtpClient : SmtpClient
{
    private readonly DeliveryStatusNotification? _notify;

    public DsnSmtpClient(SmtpEmailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _notify = !options.RequestDeliveryReports
            ? null
            : DeliveryStatusNotification.Failure | DeliveryStatusNotification.Delay | (options.ReportSuccess ? DeliveryStatusNotification.Success : 0);
        DeliveryStatusNotificationType = DeliveryStatusNotificationType.HeadersOnly;
    }

    protected override DeliveryStatusNotification? GetDeliveryStatusNotifications(MimeMessage message, MailboxAddress mailbox) => _notify;

    protected override string? GetEnvelopeId(MimeMessage message)
        => _notify is null || message.MessageId is not { } id ? null : SmtpMessages.EnvelopeIdFor(id);
}
