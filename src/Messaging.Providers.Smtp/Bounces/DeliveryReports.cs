using MimeKit;

namespace Messaging.Providers.Smtp;

/// <summary>What a report in the bounce mailbox says about one of the SDK's emails.</summary>
/// <param name="ProviderMessageId">The email's provider message id (its Message-ID with angle brackets).</param>
/// <param name="Status">The status it maps to, or <see langword="null"/> for a report that is not final (delayed).</param>
/// <param name="RawStatus">The report's action word (<c>failed</c>, <c>delivered</c>, <c>delayed</c>, …).</param>
/// <param name="EnhancedStatus">The enhanced status code, kept raw (e.g. <c>5.1.1</c>), when the report has one.</param>
internal sealed record DeliveryReport(string ProviderMessageId, DeliveryStatus? Status, string RawStatus, string? EnhancedStatus);

/// <summary>
/// Reads delivery status notifications (RFC 3464 <c>multipart/report; report-type=delivery-status</c>) and the common
/// non-DSN bounce ("Undelivered Mail Returned to Sender" with the original's headers attached). A report is matched by
/// its <c>Original-Envelope-Id</c> (the SDK's <c>ENVID</c>) or, failing that, by the original's Message-ID, and only when
/// that id is one the SDK made for the sender's domain: anything else is not the SDK's and is left alone. Nothing of
/// the report's content other than ids and codes is kept.
/// </summary>
internal static class DeliveryReports
{
    public static DeliveryReport? Parse(MimeMessage report, string senderDomain)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.BodyParts.OfType<MessageDeliveryStatus>().FirstOrDefault() is { } dsn && dsn.StatusGroups.Count >= 2)
        {
            var perMessage = dsn.StatusGroups[0];
            var id = perMessage["Original-Envelope-Id"]?.Trim() is { Length: > 0 } envelopeId && IsOurEnvelopeId(envelopeId)
                ? SmtpMessages.ProviderMessageIdFor(envelopeId, senderDomain)
                : OriginalMessageId(report, senderDomain);
            if (id is null)
            {
                return null;
            }

            // One recipient per email: the first per-recipient group decides.
            var recipient = dsn.StatusGroups[1];
            var action = recipient["Action"]?.Trim().ToLowerInvariant() ?? string.Empty;
            var status = recipient["Status"]?.Trim() is { Length: > 0 and <= 16 } s ? s : null;
            return action switch
            {
                "failed" => new DeliveryReport(id, DeliveryStatus.Undelivered, action, status),
                "delivered" or "relayed" or "expanded" => new DeliveryReport(id, DeliveryStatus.Delivered, action, status),
                "delayed" => new DeliveryReport(id, null, action, status),
                _ => null,
            };
        }

        // A relay without DSN reports: a bounce whose subject says so, carrying the original's headers.
        var subject = report.Subject ?? string.Empty;
        if (subject.Contains("Undeliver", StringComparison.OrdinalIgnoreCase) || subject.Contains("Returned", StringComparison.OrdinalIgnoreCase)
            || subject.Contains("Delivery Status Notification (Failure)", StringComparison.OrdinalIgnoreCase))
        {
            return OriginalMessageId(report, senderDomain) is { } original ? new DeliveryReport(original, DeliveryStatus.Undelivered, "bounced", null) : null;
        }

        return null;
    }

    private static bool IsOurEnvelopeId(string envelopeId)
        => envelopeId.Length == 32 && envelopeId.All(c => c is (>= 'a' and <= 'z') or (>= '2' and <= '7'));

    /// <summary>The Message-ID in the attached original (its headers or the whole message), when the SDK made it for this domain.</summary>
    private static string? OriginalMessageId(MimeMessage report, string senderDomain)
    {
        foreach (var part in report.BodyParts)
        {
            string? id = part switch
            {
                MessagePart { Message: { } original } => original.MessageId,
                TextRfc822Headers headers => HeadersMessageId(headers),
                MimePart text when text.ContentType.IsMimeType("text", "rfc822-headers") => HeadersMessageId(text),
                _ => null,
            };
            if (id is { } found && found.EndsWith("@" + senderDomain, StringComparison.OrdinalIgnoreCase) && IsOurEnvelopeId(SmtpMessages.EnvelopeIdFor(found)))
            {
                return $"<{found.Trim('<', '>')}>";
            }
        }

        return null;
    }

    private static string? HeadersMessageId(MimeEntity part)
    {
        using var stream = new MemoryStream();
        ((MimePart)part).Content?.DecodeTo(stream);
        stream.Position = 0;
        try
        {
            var headers = HeaderList.Load(stream);
            return headers[HeaderId.MessageId] is { } value ? MimeKit.Utils.MimeUtils.EnumerateReferences(value).FirstOrDefault() : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
