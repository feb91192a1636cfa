using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Messaging.Sending;
using NodaTime;

namespace Messaging.Replies;

/// <summary>
/// Issues reply tokens (R12): 128 bits derived from the server key and the message id (<see cref="MessageSecrets"/>), so
/// every attempt at a message carries the same link (R29); URL-safe base64, stored only as SHA-256 (a fast hash is right
/// for high-entropy secrets), and the link built on the host's public base URL.
/// </summary>
internal sealed class ReplyTokens(IOptions<PatientMessagingOptions> options, MessageSecrets secrets, IClock clock)
{
    /// <summary>128 bits: twice OWASP's 64-bit bar for unguessable session tokens, and 21 characters shorter in every SMS than 256.</summary>
    internal const int TokenBytes = 16;

    internal const int TokenLength = 22; // base64url of 16 bytes, unpadded

    /// <summary>The length of the 256-bit tokens issued before 128 bits: links already sent keep working until they expire.</summary>
    internal const int LegacyTokenLength = 43;
    private readonly PatientMessagingOptions _options = options.Value;

    /// <summary>
    /// The token of a reply-enabled message, its stored record, and the link that carries it: the same token on every
    /// attempt at the message (issuing it again stores nothing new). The record is <see cref="ReplyTokenState.Pending"/>:
    /// it supersedes the conversation's working link only once the message reached the provider (<see cref="HashFor"/>,
    /// R29).
    /// </summary>
    public (string Token, ReplyToken Record, Uri Link) Issue(Message message)
    {
        var token = secrets.ReplyToken(message.Id);
        var now = clock.GetCurrentInstant();
        var record = new ReplyToken
        {
            TokenHash = Hash(token),
            OrganisationId = message.OrganisationId,
            ConversationId = message.ConversationId,
            MessageId = message.Id,
            PatientId = message.PatientId,
            IssuedAt = now,
            ExpiresAt = now + Duration.FromTimeSpan(_options.ReplyLinkLifetime),
            State = ReplyTokenState.Pending,
        };
        return (token, record, Link(token));
    }

    /// <summary>The stored hash of a reply-enabled message's token, to activate it once the provider accepted the message.</summary>
    public string HashFor(Message message) => Hash(secrets.ReplyToken(message.Id));

    /// <summary>The link for a token: <c>{PublicBaseUrl}r/{token}</c>.</summary>
    public Uri Link(string token) => MessagingPublicUrls.Resolve(_options, "r/" + token);

    /// <summary>A fresh secret: 128 bits from the cryptographic RNG, URL-safe base64 (22 characters).</summary>
    internal static string NewToken() => Base64Url.Encode(RandomNumberGenerator.GetBytes(TokenBytes));

    /// <summary>The same link with a dummy token: the same length, so segments can be counted before a token exists.</summary>
    public Uri PlaceholderLink => Link(new string('x', TokenLength));

    /// <summary>
    /// Whether a string can be a token at all (so junk never reaches the store): 22 characters, or 43 for a link sent
    /// before tokens were shortened to 128 bits (looked up by hash like any other, so it keeps working until it expires).
    /// </summary>
    public static bool HasTokenShape(string? token)
        => token is { Length: TokenLength or LegacyTokenLength } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(token))).ToLowerInvariant();
}
