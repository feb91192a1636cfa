using System.Security.Cryptography;
using Messaging.DirectMessages;
using Microsoft.Extensions.Logging.Abstractions;

namespace Messaging.Tests.DirectMessages;

/// <summary>Builds access-code hashers with cheap Argon2 settings so tests stay fast.</summary>
internal static class AccessCodeTestSupport
{
    /// <summary>256 KiB, 1 pass, 1 lane: well under a millisecond, still real Argon2id.</summary>
    public static readonly Argon2idParameters Cheap = new(256, 1, 1);

    public static string NewPepper() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static DirectMessageSecurityOptions Options(string? pepper = null, Argon2idParameters? parameters = null, int maxConcurrent = 4, TimeSpan? queueTimeout = null)
    {
        var p = parameters ?? Cheap;
        return new DirectMessageSecurityOptions
        {
            Pepper = pepper ?? NewPepper(),
            Argon2 = new Argon2idOptions { MemoryKiB = p.MemoryKiB, Iterations = p.Iterations, Parallelism = p.Parallelism },
            MaxConcurrentHashes = maxConcurrent,
            HashQueueTimeout = queueTimeout ?? TimeSpan.FromSeconds(30),
        };
    }

    public static AccessCodeHasher Hasher(DirectMessageSecurityOptions options, IArgon2idHasher? argon2 = null)
        => new(argon2 ?? new KonsciousArgon2idHasher(), Microsoft.Extensions.Options.Options.Create(options), NullLogger<AccessCodeHasher>.Instance);

    /// <summary>HMAC-SHA256(pepper, UTF-8(code)), computed here independently of the SDK.</summary>
    public static byte[] PepperedPassword(string pepperBase64, string code)
        => HMACSHA256.HashData(Convert.FromBase64String(pepperBase64), System.Text.Encoding.UTF8.GetBytes(code));
}
