namespace Messaging;

/// <summary>
/// Raw Argon2id (RFC 9106, version 0x13) — the memory-hard function behind Direct-Message access codes (R18). The SDK
/// ships a managed implementation; a host may register a faster native one (e.g. libsodium through Geralt or NSec)
/// in its place, and every hash already stored keeps verifying because the output is the standard one.
/// </summary>
/// <remarks>
/// <para>
/// An implementation computes exactly Argon2id with no secret key and no associated data, so its output for the same
/// password, salt, parameters and output length is byte-for-byte the output of the reference implementation.
/// Anything it cannot compute (for example libsodium supports only <see cref="Argon2idParameters.Parallelism"/> 1 and
/// 16-byte salts) must throw <see cref="NotSupportedException"/> rather than compute something different.
/// </para>
/// <para>
/// Implementations must be thread-safe. They need not limit concurrency: the SDK runs at most a configured number of
/// computations at once, because each one holds <see cref="Argon2idParameters.MemoryKiB"/> of memory.
/// </para>
/// </remarks>
public interface IArgon2idHasher
{
    /// <summary>Computes Argon2id of <paramref name="password"/> into <paramref name="output"/>.</summary>
    /// <param name="password">The secret input. The SDK passes HMAC-SHA256(pepper, code), never a code in clear.</param>
    /// <param name="salt">A random salt of at least 8 bytes (the SDK uses 16).</param>
    /// <param name="parameters">Memory, iterations and lanes; <see langword="default"/> is invalid and must be refused.</param>
    /// <param name="output">Receives the tag; its length is the tag length (at least 4 bytes, the SDK uses 32).</param>
    /// <exception cref="ArgumentException">The salt or output is too short, or <paramref name="parameters"/> is invalid.</exception>
    /// <exception cref="NotSupportedException">The implementation cannot compute these parameters exactly.</exception>
    void Hash(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2idParameters parameters, Span<byte> output);
}

/// <summary>
/// The cost of one Argon2id computation. Stored with every hash so that a hash made with older, cheaper settings
/// still verifies after the settings are raised.
/// </summary>
/// <remarks>
/// The constructor enforces Argon2's own limits (at least 8 KiB per lane, at least one iteration and one lane) plus a
/// 4 GiB memory ceiling that catches a mistyped setting before it exhausts memory. <see langword="default"/> (all zero)
/// is not a valid value: hashers refuse it.
/// </remarks>
public readonly record struct Argon2idParameters
{
    /// <summary>The largest memory cost accepted: 4 GiB, in KiB.</summary>
    public const int MaxMemoryKiB = 4 * 1024 * 1024;

    /// <summary>The most lanes Argon2 allows (2^24 - 1).</summary>
    public const int MaxParallelism = 0xFF_FFFF;

    /// <summary>Creates validated parameters.</summary>
    /// <param name="memoryKiB">Memory cost in KiB (Argon2's <c>m</c>); at least 8 × <paramref name="parallelism"/>.</param>
    /// <param name="iterations">Passes over the memory (Argon2's <c>t</c>); at least 1.</param>
    /// <param name="parallelism">Lanes (Argon2's <c>p</c>); at least 1. Part of the result: changing it changes the hash.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside Argon2's limits.</exception>
    public Argon2idParameters(int memoryKiB, int iterations, int parallelism)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(parallelism, MaxParallelism);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(memoryKiB, 8 * parallelism);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(memoryKiB, MaxMemoryKiB);
        MemoryKiB = memoryKiB;
        Iterations = iterations;
        Parallelism = parallelism;
    }

    /// <summary>
    /// OWASP's recommended minimum for Argon2id: 19 MiB (19456 KiB), 2 iterations, 1 lane. About 50–100 ms per
    /// computation with the managed implementation on a typical server core.
    /// </summary>
    public static Argon2idParameters Owasp { get; } = new(19456, 2, 1);

    /// <summary>Memory cost in KiB (Argon2's <c>m</c>).</summary>
    public int MemoryKiB { get; }

    /// <summary>Number of passes over the memory (Argon2's <c>t</c>).</summary>
    public int Iterations { get; }

    /// <summary>Number of lanes (Argon2's <c>p</c>).</summary>
    public int Parallelism { get; }

    /// <summary>Whether these are valid parameters, i.e. not <see langword="default"/>.</summary>
    public bool IsValid => Parallelism >= 1 && Iterations >= 1 && MemoryKiB >= 8 * Parallelism && MemoryKiB <= MaxMemoryKiB;

    /// <summary>The parameters in PHC notation, e.g. <c>m=19456,t=2,p=1</c>.</summary>
    public override string ToString()
        => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"m={MemoryKiB},t={Iterations},p={Parallelism}");
}
