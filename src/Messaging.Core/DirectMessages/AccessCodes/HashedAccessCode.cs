using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Messaging.DirectMessages;

/// <summary>
/// What a store keeps for a Direct-Message access code (R18): the Argon2id hash, its salt and the parameters it was
/// made with. There is no code in clear, and the hash cannot be checked without the server-side pepper.
/// </summary>
/// <remarks>
/// <para>
/// The hash is Argon2id(password = HMAC-SHA256(pepper, UTF-8(code)), salt, parameters), so any standard Argon2id
/// implementation (libsodium, the reference C code, a database extension) computes the same bytes given the pepper.
/// The code is canonicalised first (spaces and hyphens dropped, letters upper-cased), see
/// <c>AccessCodeHasher</c>.
/// </para>
/// <para>
/// Stores may persist the three parts as columns or the single PHC string from <see cref="ToPhcString"/>
/// (<c>$argon2id$v=19$m=19456,t=2,p=1$salt$hash</c>, unpadded base64), read back with <see cref="Parse"/>.
/// Equality compares the bytes. <see cref="ToString"/> prints only the algorithm and parameters.
/// </para>
/// </remarks>
internal sealed record HashedAccessCode
{
    /// <summary>The shortest salt accepted (Argon2's minimum). The SDK generates 16 bytes.</summary>
    public const int MinSaltLength = 8;

    /// <summary>The longest salt accepted.</summary>
    public const int MaxSaltLength = 64;

    /// <summary>The shortest hash accepted. The SDK generates 32 bytes.</summary>
    public const int MinHashLength = 16;

    /// <summary>The longest hash accepted.</summary>
    public const int MaxHashLength = 64;

    private const string Prefix = "$argon2id$v=19$";

    private readonly byte[] _hash;
    private readonly byte[] _salt;

    /// <summary>Creates the record from its parts, e.g. as read from a store. The bytes are copied.</summary>
    /// <param name="hash">The Argon2id output, 16 to 64 bytes.</param>
    /// <param name="salt">The salt, 8 to 64 bytes.</param>
    /// <param name="parameters">The parameters the hash was made with; must be valid.</param>
    /// <exception cref="ArgumentException">A length is out of range or <paramref name="parameters"/> is <see langword="default"/>.</exception>
    public HashedAccessCode(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> salt, Argon2idParameters parameters)
    {
        if (hash.Length is < MinHashLength or > MaxHashLength)
        {
            throw new ArgumentException($"An access-code hash must be {MinHashLength} to {MaxHashLength} bytes; it is {hash.Length}.", nameof(hash));
        }

        if (salt.Length is < MinSaltLength or > MaxSaltLength)
        {
            throw new ArgumentException($"An access-code salt must be {MinSaltLength} to {MaxSaltLength} bytes; it is {salt.Length}.", nameof(salt));
        }

        if (!parameters.IsValid)
        {
            throw new ArgumentException("The Argon2id parameters are not valid (default or out of range).", nameof(parameters));
        }

        _hash = hash.ToArray();
        _salt = salt.ToArray();
        Parameters = parameters;
    }

    /// <summary>The Argon2id output.</summary>
    public ReadOnlyMemory<byte> Hash => _hash;

    /// <summary>The random salt, unique per code.</summary>
    public ReadOnlyMemory<byte> Salt => _salt;

    /// <summary>The parameters the hash was made with; verification uses these, not the current settings.</summary>
    public Argon2idParameters Parameters { get; }

    /// <summary>
    /// The PHC string form, e.g. <c>$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$...</c>: one column, readable
    /// by other Argon2 tooling (which must still apply the pepper to the code first).
    /// </summary>
    public string ToPhcString()
        => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Parameters}${ToBase64Unpadded(_salt)}${ToBase64Unpadded(_hash)}");

    /// <summary>Reads a PHC string made by <see cref="ToPhcString"/>.</summary>
    /// <param name="phc">The stored string.</param>
    /// <exception cref="FormatException">It is not an Argon2id (v=19) PHC string within the accepted lengths.</exception>
    public static HashedAccessCode Parse(string phc)
    {
        ArgumentNullException.ThrowIfNull(phc);
        return TryParse(phc, out var result)
            ? result
            : throw new FormatException("Not an Argon2id PHC string of the form $argon2id$v=19$m=...,t=...,p=...$salt$hash.");
    }

    /// <summary>Reads a PHC string made by <see cref="ToPhcString"/>, without throwing.</summary>
    /// <param name="phc">The stored string.</param>
    /// <param name="result">The record, when it could be read.</param>
    public static bool TryParse([NotNullWhen(true)] string? phc, [NotNullWhen(true)] out HashedAccessCode? result)
    {
        result = null;
        if (phc is null || !phc.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        // After the prefix: "m=..,t=..,p=..$salt$hash"
        var parts = phc[Prefix.Length..].Split('$');
        if (parts.Length != 3)
        {
            return false;
        }

        var costs = parts[0].Split(',');
        if (costs.Length != 3
            || !TryReadCost(costs[0], "m=", out var m)
            || !TryReadCost(costs[1], "t=", out var t)
            || !TryReadCost(costs[2], "p=", out var p))
        {
            return false;
        }

        Argon2idParameters parameters;
        try
        {
            parameters = new Argon2idParameters(m, t, p);
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }

        if (!TryFromBase64Unpadded(parts[1], out var salt) || salt.Length is < MinSaltLength or > MaxSaltLength
            || !TryFromBase64Unpadded(parts[2], out var hash) || hash.Length is < MinHashLength or > MaxHashLength)
        {
            return false;
        }

        result = new HashedAccessCode(hash, salt, parameters);
        return true;
    }

    /// <summary>Whether both records hold the same hash, salt and parameters.</summary>
    /// <param name="other">The other record.</param>
    public bool Equals(HashedAccessCode? other)
        => other is not null
           && Parameters == other.Parameters
           && _hash.AsSpan().SequenceEqual(other._hash)
           && _salt.AsSpan().SequenceEqual(other._salt);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Parameters);
        hash.AddBytes(_salt);
        hash.AddBytes(_hash);
        return hash.ToHashCode();
    }

    /// <summary>The algorithm and parameters only, e.g. <c>argon2id m=19456,t=2,p=1</c>: no salt or hash in logs.</summary>
    public override string ToString() => $"argon2id {Parameters}";

    private static bool TryReadCost(string text, string name, out int value)
    {
        value = 0;
        return text.StartsWith(name, StringComparison.Ordinal)
               && int.TryParse(text.AsSpan(name.Length), NumberStyles.None /* digits only, as PHC requires */, CultureInfo.InvariantCulture, out value);
    }

    private static string ToBase64Unpadded(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static bool TryFromBase64Unpadded(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || text.Length % 4 == 1 || text.Contains('=', StringComparison.Ordinal))
        {
            return false;
        }

        var padded = text.Length % 4 == 0 ? text : text + new string('=', 4 - (text.Length % 4));
        var buffer = new byte[padded.Length / 4 * 3];
        if (!Convert.TryFromBase64String(padded, buffer, out var written))
        {
            return false;
        }

        bytes = buffer[..written];
        return true;
    }
}
