using System.Security.Cryptography;
using System.Text;
using MimeKit;
using NodaTime;

namespace Messaging.Providers.Smtp;

/// <summary>Turns an <see cref="EmailSendRequest"/> into the MIME message that goes on the wire.</summary>
internal static class SmtpMessages
{
    private const string Base32Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>Characters of the Message-ID's left-hand side: 32 base32 characters carry 160 bits of the hash.</summary>
    private const int MessageIdChars = 32;

    /// <summary>
    /// The Message-ID for an idempotency key, without angle brackets: <c>{base32(SHA-256(key))[..32]}@{domain}</c>.
    /// The same key and sender domain always give the same id, so a send retried by the outbox carries the id of
    /// the first attempt and a relay, archive or mail client downstream can recognise (and drop) the duplicate.
    /// Hashing keeps the host's key itself (which might embed ids) out of the message.
    /// </summary>
    public static string MessageIdFor(string idempotencyKey, string senderDomain)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey), hash);
        Span<char> left = stackalloc char[MessageIdChars];
        var bits = 0;
        var buffer = 0;
        var i = 0;
        foreach (var b in hash)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5 && i < MessageIdChars)
            {
                left[i++] = Base32Alphabet[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }

            if (i == MessageIdChars)
            {
                break;
            }
        }

        return string.Concat(left, "@", senderDomain);
    }

    /// <summary>
    /// The DSN envelope id (<c>ENVID</c>) of a message: the left part of its Message-ID (32 base32 characters, xtext-safe),
    /// which the relay returns as <c>Original-Envelope-Id</c> in each report.
    /// </summary>
    public static string EnvelopeIdFor(string messageId)
    {
        var bare = messageId.Trim('<', '>');
        var at = bare.IndexOf('@', StringComparison.Ordinal);
        return at > 0 ? bare[..at] : bare;
    }

    /// <summary>
    /// The domain Message-IDs are made for: that of the normalised <paramref name="fromAddress"/> (lower-case domain), so
    /// the provider and the bounce reader, which maps a report's envelope id back to a Message-ID, agree on it.
    /// </summary>
    public static string SenderDomain(string? fromAddress)
    {
        var address = EmailAddress.Parse(fromAddress).Value;
        return address[(address.IndexOf('@', StringComparison.Ordinal) + 1)..];
    }

    /// <summary>The provider message id (the Message-ID with angle brackets) a report's envelope id stands for, at <paramref name="senderDomain"/>.</summary>
    public static string ProviderMessageIdFor(string envelopeId, string senderDomain) => $"<{envelopeId}@{senderDomain}>";

    /// <summary>Builds the message: From, To, Subject, Date (from the injected clock), Message-ID, and the body.</summary>
    /// <remarks>
    /// With an HTML body the message is <c>multipart/alternative</c> (text first, HTML last, as RFC 2046 orders them
    /// from plainest to richest); without, it is a single <c>text/plain</c> part. Both are UTF-8; MailKit picks a
    /// transfer encoding the relay supports, so long lines and links survive.
    /// </remarks>
    public static MimeMessage Build(EmailSendRequest request, MailboxAddress from, string messageId, Instant now)
    {
        var message = new MimeMessage
        {
            Subject = request.Subject,
            MessageId = messageId,
            Date = now.ToDateTimeOffset(),
        };
        message.From.Add(from);
        message.To.Add(new MailboxAddress(request.ToName, request.To.Value));

        var body = new BodyBuilder { TextBody = request.TextBody };
        if (!string.IsNullOrEmpty(request.HtmlBody))
        {
            body.HtmlBody = request.HtmlBody;
        }

        message.Body = body.ToMessageBody();
        return message;
    }
}
