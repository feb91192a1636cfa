using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NodaTime;

namespace Messaging.Conversations;

/// <summary>
/// Encodes an <see cref="InboxCursor"/> as an opaque, URL-safe page token bound to the query it came from, so a token
/// replayed against another view, filter or workspace is refused rather than silently skipping rows.
/// </summary>
internal static class InboxPageToken
{
    private const byte FormatVersion = 1;
    private const int Length = 1 + 8 + 16 + 8; // version, activity (unix ticks), conversation id, query fingerprint

    public static string Encode(InboxCursor cursor, InboxRequest request)
    {
        Span<byte> bytes = stackalloc byte[Length];
        bytes[0] = FormatVersion;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], cursor.LastActivityAt.ToUnixTimeTicks());
        cursor.ConversationId.Value.TryWriteBytes(bytes.Slice(9, 16));
        BinaryPrimitives.WriteUInt64BigEndian(bytes[25..], Fingerprint(request));
        return Base64Url.Encode(bytes);
    }

    public static InboxCursor? Decode(string? token, InboxRequest request)
    {
        if (token is null)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[Length + 2];
        if (!Base64Url.TryDecode(token, bytes, out var written) || written != Length || bytes[0] != FormatVersion
            || BinaryPrimitives.ReadUInt64BigEndian(bytes[25..]) != Fingerprint(request))
        {
            throw new MessagingValidationException(
                MessagingErrorCodes.InvalidCursor, "The page token is malformed or belongs to another inbox query; start again from the first page.", "pageToken");
        }

        return new InboxCursor(
            Instant.FromUnixTimeTicks(BinaryPrimitives.ReadInt64BigEndian(bytes[1..])),
            new ConversationId(new Guid(bytes.Slice(9, 16))));
    }

    private static ulong Fingerprint(InboxRequest request)
    {
        var shape = $"{request.WorkspaceId.Value}\n{request.View}\n{request.Status}\n{request.UnreadOnly}";
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(shape), hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }
}
