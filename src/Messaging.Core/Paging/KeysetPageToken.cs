using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NodaTime;

namespace Messaging.Paging;

/// <summary>
/// Encodes a keyset position (an instant and a Guid) as an opaque, URL-safe page token bound to the query it came
/// from, so a token replayed against another query is refused rather than silently skipping rows.
/// </summary>
internal static class KeysetPageToken
{
    private const byte FormatVersion = 1;
    private const int Length = 1 + 8 + 16 + 8; // version, instant (unix ticks), id, query fingerprint

    /// <summary>The token for a position of the query whose shape is <paramref name="queryShape"/>.</summary>
    public static string Encode(Instant at, Guid id, string queryShape)
    {
        Span<byte> bytes = stackalloc byte[Length];
        bytes[0] = FormatVersion;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], at.ToUnixTimeTicks());
        id.TryWriteBytes(bytes.Slice(9, 16));
        BinaryPrimitives.WriteUInt64BigEndian(bytes[25..], Fingerprint(queryShape));
        return Base64Url.Encode(bytes);
    }

    /// <summary>The position in <paramref name="token"/>, or <see langword="null"/> for none (the first page).</summary>
    /// <exception cref="MessagingValidationException">The token is malformed or was issued for another query.</exception>
    public static (Instant At, Guid Id)? Decode(string? token, string queryShape, string what)
    {
        if (token is null)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[Length + 2];
        if (!Base64Url.TryDecode(token, bytes, out var written) || written != Length || bytes[0] != FormatVersion
            || BinaryPrimitives.ReadUInt64BigEndian(bytes[25..]) != Fingerprint(queryShape))
        {
            throw new MessagingValidationException(
                MessagingErrorCodes.InvalidCursor, $"The page token is malformed or belongs to another {what}; start again from the first page.", "pageToken");
        }

        return (Instant.FromUnixTimeTicks(BinaryPrimitives.ReadInt64BigEndian(bytes[1..])), new Guid(bytes.Slice(9, 16)));
    }

    private static ulong Fingerprint(string queryShape)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(queryShape), hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }
}
