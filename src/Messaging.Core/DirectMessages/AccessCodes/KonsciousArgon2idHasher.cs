using System.Security.Cryptography;
using Konscious.Security.Cryptography;

namespace Messaging.DirectMessages;

/// <summary>
/// The default <see cref="IArgon2idHasher"/>: managed Argon2id from Konscious.Security.Cryptography. Portable and
/// dependency-free; a native libsodium hasher is about 4× faster and allocates no managed memory (R18), so hosts with
/// heavy Direct-Message traffic may register one instead.
/// </summary>
/// <remarks>
/// Konscious works on arrays, so the password and salt are copied into arrays that are zeroed after use, and the
/// Argon2 memory itself is managed (about <see cref="Argon2idParameters.MemoryKiB"/> per computation, on the LOH).
/// Thread-safe: every call uses its own instance.
/// </remarks>
internal sealed class KonsciousArgon2idHasher : IArgon2idHasher
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

        var passwordCopy = password.ToArray();
        byte[]? result = null;
        try
        {
            using var argon2 = new Argon2id(passwordCopy)
            {
                Salt = salt.ToArray(),
                MemorySize = parameters.MemoryKiB,
                Iterations = parameters.Iterations,
                DegreeOfParallelism = parameters.Parallelism,
            };
            result = argon2.GetBytes(output.Length);
            result.CopyTo(output);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordCopy);
            if (result is not null)
            {
                CryptographicOperations.ZeroMemory(result);
            }
        }
    }
}
