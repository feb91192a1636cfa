using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using NodaTime;

namespace Messaging;

/// <summary>The SDK's id of a Direct Message (R18).</summary>
/// <param name="Value">The underlying Guid.</param>
[JsonConverter(typeof(MessagingIdJsonConverter<DirectMessageId>))]
public readonly record struct DirectMessageId(Guid Value) : ISpanParsable<DirectMessageId>
{
    /// <summary>A new, unique, roughly time-ordered id.</summary>
    public static DirectMessageId New() => new(SequentialGuid.Next());

    /// <inheritdoc />
    public override string ToString() => Value.ToString("N");

    /// <summary>Reads the id from text, as <see cref="Parse(string, IFormatProvider?)"/> does.</summary>
    /// <param name="s">The text, e.g. a route value.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not a valid id; the message does not repeat it.</exception>
    public static DirectMessageId Parse(string s) => Parse(s, null);

    /// <summary>Reads a Direct Message id: 32 hexadecimal digits as <see cref="ToString"/> writes them, or the hyphenated 8-4-4-4-12 form.</summary>
    /// <param name="s">The text, e.g. a route value.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not in either form; the message does not repeat it.</exception>
    public static DirectMessageId Parse(string s, IFormatProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Parse(s.AsSpan(), provider);
    }

    /// <summary>Reads a Direct Message id from characters, as <see cref="Parse(string, IFormatProvider?)"/> does from a string.</summary>
    /// <param name="s">The characters.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <exception cref="FormatException">The characters are not a valid Direct Message id; the message does not repeat them.</exception>
    public static DirectMessageId Parse(ReadOnlySpan<char> s, IFormatProvider? provider)
        => TryParse(s, provider, out var id) ? id : throw IdText.NotAGuid("Direct Message id");

    /// <summary>Reads a Direct Message id (32 hexadecimal digits, or the hyphenated form); <see langword="false"/> instead of an exception when the text is neither.</summary>
    /// <param name="s">The text, e.g. a route value; <see langword="null"/> gives <see langword="false"/>.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <param name="result">The id, or <see langword="default"/> when the text is not one.</param>
    /// <returns>Whether the text is a valid Direct Message id.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out DirectMessageId result)
    {
        if (s is null)
        {
            result = default;
            return false;
        }

        return TryParse(s.AsSpan(), provider, out result);
    }

    /// <inheritdoc cref="TryParse(string?, IFormatProvider?, out DirectMessageId)" />
    public static bool TryParse([NotNullWhen(true)] string? s, out DirectMessageId result) => TryParse(s, null, out result);

    /// <inheritdoc cref="TryParse(string?, IFormatProvider?, out DirectMessageId)" />
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out DirectMessageId result)
    {
        var ok = IdText.TryParseGuid(s, out var value);
        result = new DirectMessageId(value);
        return ok;
    }
}

/// <summary>
/// A stored Direct Message (R18): confidential content for a patient that is shown only to someone holding both the
/// link sent by email and the access code sent by SMS.
/// </summary>
/// <remarks>
/// <para>
/// A Direct Message is this record plus two ordinary outbound messages in the patient's conversation, each with its
/// own outbox entry and delivery status: the email that carries the link (<see cref="EmailMessageId"/>) and the SMS
/// that carries the access code (<see cref="SmsMessageId"/>). Those messages' stored bodies hold neither secret nor
/// the content; both secrets are minted when the outbox hands the message to its provider and only their hashes are
/// kept here.
/// </para>
/// <para>
/// <see cref="LinkTokenHash"/> is the lower-case hex SHA-256 of the link token (a fast hash suits a 256-bit random
/// token). <see cref="AccessCodeHash"/> is an Argon2id PHC string (<c>$argon2id$v=19$m=..,t=..,p=..$salt$hash</c>) of
/// HMAC-SHA256(pepper, code): it carries its own salt and parameters, so raising the parameters later keeps older
/// codes verifying. Neither secret is ever stored in clear. <see cref="Body"/>, <see cref="Subject"/> and the
/// attachments are patient data; <see cref="ToString"/> prints ids and states only (R22).
/// </para>
/// </remarks>
public sealed record DirectMessage
{
    /// <summary>Its id.</summary>
    public required DirectMessageId Id { get; init; }

    /// <summary>The organisation that sent it (and paid for the SMS).</summary>
    public required OrganisationId OrganisationId { get; init; }

    /// <summary>The workspace it was sent from.</summary>
    public required WorkspaceId WorkspaceId { get; init; }

    /// <summary>The patient conversation its email and SMS belong to.</summary>
    public required ConversationId ConversationId { get; init; }

    /// <summary>The patient it is for.</summary>
    public required PatientId PatientId { get; init; }

    /// <summary>The staff member who sent it.</summary>
    public required StaffId SentBy { get; init; }

    /// <summary>The title shown once unlocked. Patient data.</summary>
    public required string Subject { get; init; }

    /// <summary>The confidential content, shown once unlocked. Patient data.</summary>
    public required string Body { get; init; }

    /// <summary>Documents or forms (uploaded through the attachment service, R11) offered for download once unlocked.</summary>
    public required IReadOnlyList<AttachmentId> Attachments { get; init; }

    /// <summary>The latest email that carries the link.</summary>
    public required MessageId EmailMessageId { get; init; }

    /// <summary>The latest SMS that carries the access code.</summary>
    public required MessageId SmsMessageId { get; init; }

    /// <summary>The SHA-256 (lower-case hex) of the current link token; <see langword="null"/> until the email is handed to its provider.</summary>
    public string? LinkTokenHash { get; init; }

    /// <summary>When the current link stops working; <see langword="null"/> while there is none.</summary>
    public Instant? LinkExpiresAt { get; init; }

    /// <summary>
    /// The Argon2id PHC string of the current access code; <see langword="null"/> until the SMS is handed to its
    /// provider, and again from a staff resend until the new SMS is (the old code is dead at once).
    /// </summary>
    public string? AccessCodeHash { get; init; }

    /// <summary>When the current access code stops working; <see langword="null"/> while there is none.</summary>
    public Instant? AccessCodeExpiresAt { get; init; }

    /// <summary>Wrong codes entered against the current code; counted over the code's life (a right code forgives none) and reset only by a staff resend.</summary>
    public required int FailedAttempts { get; init; }

    /// <summary>When too many wrong codes locked it; <see langword="null"/> while unlocked. Only a staff resend clears it.</summary>
    public Instant? LockedAt { get; init; }

    /// <summary>When the patient first unlocked it.</summary>
    public Instant? FirstUnlockedAt { get; init; }

    /// <summary>When it was sent.</summary>
    public required Instant CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public required Instant UpdatedAt { get; init; }

    /// <summary>The optimistic-concurrency version, raised by every update.</summary>
    public required long Version { get; init; }

    /// <summary>Ids and states only.</summary>
    public override string ToString()
        => $"DirectMessage {{ Id = {Id}, FailedAttempts = {FailedAttempts}, Locked = {LockedAt is not null}, Version = {Version} }}";
}
