using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Messaging.Sending;

/// <summary>
/// The secrets a message carries, derived from the server key (<see cref="PatientMessagingOptions.LinkKey"/>) and the
/// message's identity instead of drawn at random (R29): every attempt at a message — a retry after a timeout in which the
/// provider may already have sent it — computes the same reply token, download tokens, Direct-Message link token and
/// access code, so whatever the patient received keeps working. A staff resend is a new message, so it gets new ones.
/// </summary>
/// <remarks>
/// <para>Each secret is HMAC-SHA256(key, purpose ‖ 0 ‖ ids…), with a distinct purpose label per kind of secret so no two
/// kinds can ever coincide. A token is the first 16 bytes of the MAC as unpadded base64url (22 characters, the shape and
/// 128-bit strength of a random token, <see cref="Replies.ReplyTokens.TokenBytes"/>: without the key it cannot be told apart
/// from one; a truncated HMAC keeps the strength of its length). An access code is drawn from the MAC stream
/// (HMAC-SHA256 in counter mode) by rejection sampling over <see cref="DirectMessages.AccessCodeGenerator.Alphabet"/>, so
/// every symbol is uniform, as with the random generator.</para>
/// <para>Stores still keep only hashes. Anyone with the key and a message id can compute that message's secrets, so the
/// key is kept outside the database like the Direct-Message pepper.</para>
/// </remarks>
internal sealed class MessageSecrets
{
    /// <summary>The shortest key accepted.</summary>
    public const int MinKeyBytes = 32;

    private const string ReplyPurpose = "messaging/reply-token/v1";
    private const string AttachmentPurpose = "messaging/attachment-link/v1";
    private const string DirectMessageLinkPurpose = "messaging/direct-message-link/v1";
    private const string DirectMessageCodePurpose = "messaging/direct-message-code/v1";

    private readonly IOptions<PatientMessagingOptions> _options;
    private byte[]? _key;

    public MessageSecrets(IOptions<PatientMessagingOptions> options) => _options = options;

    /// <summary>The reply token of a reply-enabled message.</summary>
    public string ReplyToken(MessageId messageId) => Token(ReplyPurpose, messageId.ToString());

    /// <summary>The download token of an attachment sent with a message.</summary>
    public string AttachmentToken(MessageId messageId, AttachmentId attachmentId) => Token(AttachmentPurpose, messageId.ToString(), attachmentId.ToString());

    /// <summary>The link token a Direct Message's email carries.</summary>
    public string DirectMessageLinkToken(DirectMessageId directMessageId, MessageId emailMessageId)
        => Token(DirectMessageLinkPurpose, directMessageId.ToString(), emailMessageId.ToString());

    /// <summary>The access code a Direct Message's SMS carries, <paramref name="length"/> symbols of the code alphabet.</summary>
    public string DirectMessageCode(DirectMessageId directMessageId, MessageId smsMessageId, int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, DirectMessages.AccessCodeGenerator.MinLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, DirectMessages.AccessCodeGenerator.MaxLength);
        const string Alphabet = DirectMessages.AccessCodeGenerator.Alphabet;
        var limit = 256 - (256 % Alphabet.Length); // bytes at or above it would bias the symbols: skipped

        var code = new char[length];
        var filled = 0;
        Span<byte> block = stackalloc byte[HMACSHA256.HashSizeInBytes];
        for (var counter = 0; filled < length; counter++)
        {
            Mac(DirectMessageCodePurpose, [directMessageId.ToString(), smsMessageId.ToString(), counter.ToString(System.Globalization.CultureInfo.InvariantCulture)], block);
            foreach (var b in block)
            {
                if (b < limit && filled < length)
                {
                    code[filled++] = Alphabet[b % Alphabet.Length];
                }
            }
        }

        CryptographicOperations.ZeroMemory(block);
        return new string(code);
    }

    /// <summary>Decodes a key; false unless it is base64 of at least <see cref="MinKeyBytes"/> bytes.</summary>
    public static bool TryDecodeKey(string? base64, out byte[] key)
    {
        key = [];
        if (string.IsNullOrWhiteSpace(base64))
        {
            return false;
        }

        var buffer = new byte[(base64.Length / 4 * 3) + 3];
        if (!Convert.TryFromBase64String(base64.Trim(), buffer, out var written) || written < MinKeyBytes)
        {
            CryptographicOperations.ZeroMemory(buffer);
            return false;
        }

        key = buffer[..written];
        CryptographicOperations.ZeroMemory(buffer);
        return true;
    }

    private string Token(string purpose, params ReadOnlySpan<string> ids)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Mac(purpose, ids, mac);
        var token = Base64Url.Encode(mac[..Replies.ReplyTokens.TokenBytes]);
        CryptographicOperations.ZeroMemory(mac);
        return token;
    }

    private void Mac(string purpose, ReadOnlySpan<string> ids, Span<byte> output)
    {
        var input = new StringBuilder(purpose);
        foreach (var id in ids)
        {
            input.Append('\0').Append(id);
        }

        HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(input.ToString()), output);
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
            if (!TryDecodeKey(_options.Value.LinkKey, out key))
            {
                throw new InvalidOperationException(
                    $"{PatientMessagingOptions.SectionName}:LinkKey is not set or is not base64 of at least {MinKeyBytes} bytes; reply links, download links and Direct-Message codes are derived from it.");
            }

            Volatile.Write(ref _key, key);
            return key;
        }
    }
}
