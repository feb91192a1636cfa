using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Messaging.Sending;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Messaging.Paging;

/// <summary>
/// Encodes a keyset position (an instant and a Guid) as an opaque, URL-safe page token bound to the query it came
/// from and authenticated with a key derived from <see cref="PatientMessagingOptions.LinkKey"/>: a token replayed against
/// another query, altered, or made up is refused with <see cref="MessagingErrorCodes.InvalidCursor"/> rather than
/// silently skipping rows or failing deep in the store.
/// </summary>
/// <remarks>
/// Layout: version ‖ instant (unix ticks, big-endian) ‖ id ‖ the first 16 bytes of
/// HMAC-SHA256(k, version ‖ instant ‖ id ‖ query shape), where k = HMAC-SHA256(LinkKey, "messaging/page-token/v2"), so
/// the page-token key can never coincide with a link secret.
/// </remarks>
internal sealed class KeysetPageToken(IOptions<PatientMessagingOptions> options)
{
    private const byte FormatVersion = 2;
    private const int MacLength = 16;
    private const int PositionLength = 1 + 8 + 16; // version, instant, id
    private const int Length = PositionLength + MacLength;
    private static readonly byte[] Purpose = Encoding.UTF8.GetBytes("messaging/page-token/v2");
    private static readonly long MinTicks = Instant.MinValue.ToUnixTimeTicks();
    private static readonly long MaxTicks = Instant.MaxValue.ToUnixTimeTicks();

    private byte[]? _key;

    /// <summary>The token for a position of the query whose shape is <paramref name="queryShape"/>.</summary>
    public string Encode(Instant at, Guid id, string queryShape)
    {
        Span<byte> bytes = stackalloc byte[Length];
        bytes[0] = FormatVersion;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], at.ToUnixTimeTicks());
        id.TryWriteBytes(bytes.Slice(9, 16));
        Mac(bytes[..PositionLength], queryShape, bytes[PositionLength..]);
        return Base64Url.Encode(bytes);
    }

    /// <summary>The position in <paramref name="token"/>, or <see langword="null"/> for none (the first page).</summary>
    /// <exception cref="MessagingValidationException">The token is malformed, altered, or was issued for another query.</exception>
    public (Instant At, Guid Id)? Decode(string? token, string queryShape, string what)
    {
        if (token is null)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[Length + 2];
        Span<byte> expected = stackalloc byte[MacLength];
        if (token.Length > 2 * Length || !Base64Url.TryDecode(token, bytes, out var written) || written != Length || bytes[0] != FormatVersion)
        {
            throw Invalid(what);
        }

        Mac(bytes[..PositionLength], queryShape, expected);
        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes[1..]);
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes.Slice(PositionLength, MacLength)) || ticks < MinTicks || ticks > MaxTicks)
        {
            throw Invalid(what);
        }

        return (Instant.FromUnixTimeTicks(ticks), new Guid(bytes.Slice(9, 16)));
    }

    private static MessagingValidationException Invalid(string what)
        => new(MessagingErrorCodes.InvalidCursor, $"The page token is malformed or belongs to another {what}; start again from the first page.", "pageToken");

    private void Mac(ReadOnlySpan<byte> position, string queryShape, Span<byte> output)
    {
        var shape = Encoding.UTF8.GetBytes(queryShape);
        var input = new byte[position.Length + shape.Length];
        position.CopyTo(input);
        shape.CopyTo(input.AsSpan(position.Length));
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Key, input, mac);
        mac[..output.Length].CopyTo(output);
    }

    private byte[] Key
    {
        get
        {
            if (Volatile.Read(ref _key) is { } key)
            {
                return key;
            }

            // Validated at start-up; this only guards a host that skipped validation, naming the setting (never the value).
            if (!MessageSecrets.TryDecodeKey(options.Value.LinkKey, out var linkKey))
            {
                throw new InvalidOperationException(
                    $"{PatientMessagingOptions.SectionName}:LinkKey is not set or is not base64 of at least {MessageSecrets.MinKeyBytes} bytes; page tokens are authenticated with a key derived from it.");
            }

            key = HMACSHA256.HashData(linkKey, Purpose);
            CryptographicOperations.ZeroMemory(linkKey);
            Volatile.Write(ref _key, key);
            return key;
        }
    }
}
