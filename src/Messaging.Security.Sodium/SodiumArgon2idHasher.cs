namespace Messaging.Security.Sodium;

/// <summary>
/// Argon2id (RFC 9106, version 0x13) computed by libsodium through Geralt: the same bytes as the managed default for the
/// same input, so stored hashes verify with either. libsodium computes one lane only, with 16-byte salts and tags of at
/// least 16 bytes; the SDK's defaults (OWASP's m=19456,t=2,p=1, 16-byte salt, 32-byte tag) are all within that, and
/// anything outside it is refused with <see cref="NotSupportedException"/> rather than computed differently.
/// </summary>
/// <remarks>libsodium allocates the Argon2 memory natively and frees it before returning: nothing lands on the managed heap.</remarks>
internal sealed class SodiumArgon2idHasher : IArgon2idHasher
{
    public void Hash(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2idParameters parameters, Span<byte> output)
    {
        if (!parameters.IsValid)
        {
            throw new ArgumentException("Argon2id parameters are not valid (default or out of range).", nameof(parameters));
        }

        if (salt.Length < 8)
        {
            throw new ArgumentException("The Argon2id salt must be at least 8 bytes.", nameof(salt));
        }

        if (output.Length < 4)
        {
            throw new ArgumentException("The Argon2id output must be at least 4 bytes.", nameof(output));
        }

        if (parameters.Parallelism != 1)
        {
            throw new NotSupportedException($"libsodium computes Argon2id with one lane only; these parameters ({parameters}) need {parameters.Parallelism}.");
        }

        if (salt.Length != Geralt.Argon2id.SaltSize)
        {
            throw new NotSupportedException($"libsodium takes {Geralt.Argon2id.SaltSize}-byte Argon2id salts only; this one has {salt.Length} bytes.");
        }

        if (output.Length < Geralt.Argon2id.MinKeySize)
        {
            throw new NotSupportedException($"libsodium computes Argon2id tags of at least {Geralt.Argon2id.MinKeySize} bytes; {output.Length} were asked for.");
        }

        if (parameters.MemoryKiB > int.MaxValue / 1024)
        {
            throw new NotSupportedException($"libsodium through Geralt takes at most {int.MaxValue / 1024} KiB of Argon2id memory; these parameters ({parameters}) need more.");
        }

        Geralt.Argon2id.DeriveKey(output, password, salt, parameters.Iterations, parameters.MemoryKiB * 1024);
    }
}
