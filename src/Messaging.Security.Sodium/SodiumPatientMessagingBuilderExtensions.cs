using Messaging;
using Messaging.Security.Sodium;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the libsodium Argon2id hasher for Direct-Message access codes (R18).</summary>
public static class SodiumPatientMessagingBuilderExtensions
{
    /// <summary>
    /// Hashes and verifies Direct-Message access codes with libsodium instead of the managed default: the same hashes
    /// (codes already stored keep verifying, and a host can switch back), about 3–4× faster, with no managed Argon2 memory.
    /// Call it on the builder <c>AddPatientMessaging(...)</c> returned; it replaces any <see cref="IArgon2idHasher"/> already registered.
    /// </summary>
    /// <param name="builder">The patient-messaging builder.</param>
    /// <returns>The builder.</returns>
    public static IPatientMessagingBuilder AddSodiumArgon2id(this IPatientMessagingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IArgon2idHasher, SodiumArgon2idHasher>());
        return builder;
    }
}
