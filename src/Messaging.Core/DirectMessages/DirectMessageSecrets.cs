using Messaging.Replies;
using Messaging.Sending;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Messaging.DirectMessages;

/// <summary>
/// The two halves of a Direct Message's secret (R18): the link token (256 random bits, only its SHA-256 stored, the
/// link built on the host's public base URL as <c>{PublicBaseUrl}d/{token}</c>) and the access code (from
/// <see cref="AccessCodeGenerator"/>, only its peppered Argon2id hash stored), and their lifetimes.
/// </summary>
/// <remarks>
/// The <see cref="AccessCodeHasher"/> is resolved on first use, not at start-up, so a host that never sends Direct
/// Messages needs no pepper; a host that does and forgot it gets an <see cref="InvalidOperationException"/> naming the
/// setting from the first Direct-Message operation, before anything is written. <c>AddDirectMessages</c> moves that
/// check to start-up.
/// </remarks>
internal sealed class DirectMessageSecrets(IServiceProvider services, IOptions<DirectMessageSecurityOptions> options, IOptions<PatientMessagingOptions> messaging, MessageSecrets secrets, IClock clock)
{
    /// <summary>The path under the public base URL at which the host serves the unlock page.</summary>
    public const string LinkPath = "d/";

    private AccessCodeHasher? _hasher;

    /// <summary>The hasher; throws <see cref="InvalidOperationException"/> naming the missing or bad setting when Direct Messages are not configured.</summary>
    public AccessCodeHasher Hasher
    {
        get
        {
            if (Volatile.Read(ref _hasher) is { } hasher)
            {
                return hasher;
            }

            try
            {
                hasher = services.GetRequiredService<AccessCodeHasher>();
            }
            catch (OptionsValidationException e)
            {
                throw new InvalidOperationException(
                    $"Direct Messages are not configured: {e.Message} Set {DirectMessageSecurityOptions.SectionName}:Pepper (e.g. with builder.AddDirectMessages(o => o.Pepper = ...)) before sending or unlocking Direct Messages.",
                    e);
            }

            Volatile.Write(ref _hasher, hasher);
            return hasher;
        }
    }

    /// <summary>Direct-Message settings, validated (touching them checks the configuration like <see cref="Hasher"/>).</summary>
    public DirectMessageSecurityOptions Options
    {
        get
        {
            _ = Hasher;
            return options.Value;
        }
    }

    /// <summary>Wrong codes allowed before a Direct Message locks (R18).</summary>
    public const int MaxFailedAttempts = 5;

    /// <summary>
    /// The link of a Direct Message's email: the token the patient receives, the hash the store keeps, the link, and when
    /// it expires. The token is derived from the Direct Message and that email's message id (<see cref="MessageSecrets"/>),
    /// so every attempt at the email carries the same link (R29) and a staff resend (a new email message) a new one.
    /// </summary>
    public (string Hash, Uri Link, Instant ExpiresAt) LinkFor(DirectMessageId directMessageId, MessageId emailMessageId)
    {
        var token = secrets.DirectMessageLinkToken(directMessageId, emailMessageId);
        return (HashLinkToken(token), MessagingPublicUrls.Resolve(messaging.Value, LinkPath + token), clock.GetCurrentInstant() + Duration.FromTimeSpan(Options.LinkLifetime));
    }

    /// <summary>
    /// The code of a Direct Message's SMS and its stored form (a PHC string with a fresh salt), hashed under the concurrency
    /// bound. The code is derived from the Direct Message and that SMS's message id (<see cref="MessageSecrets"/>), so every
    /// attempt at the SMS carries the same code (R29) — a retry stores a new hash of that same code — and a staff resend
    /// (a new SMS message) a new one.
    /// </summary>
    public async Task<(string Code, string Phc, Instant ExpiresAt)> CodeForAsync(DirectMessageId directMessageId, MessageId smsMessageId, CancellationToken cancellationToken)
    {
        var code = secrets.DirectMessageCode(directMessageId, smsMessageId, Options.AccessCodeLength);
        var hashed = await Hasher.HashAsync(code, cancellationToken).ConfigureAwait(false);
        return (code, hashed.ToPhcString(), clock.GetCurrentInstant() + Duration.FromTimeSpan(Options.AccessCodeLifetime));
    }

    /// <summary>A link-shaped stand-in, for the copy of the link email that is stored (the real link exists only in the email sent).</summary>
    public Uri PlaceholderLink => MessagingPublicUrls.Resolve(messaging.Value, LinkPath + new string('x', ReplyTokens.TokenLength));

    /// <summary>A code-shaped stand-in of the configured length, to count SMS segments before the real code exists.</summary>
    public string PlaceholderCode => new(AccessCodeGenerator.Alphabet[0], Options.AccessCodeLength);

    public static bool HasLinkTokenShape(string? token) => ReplyTokens.HasTokenShape(token);

    public static string HashLinkToken(string token) => ReplyTokens.Hash(token);
}
