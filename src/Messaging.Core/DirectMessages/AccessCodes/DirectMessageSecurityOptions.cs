using Microsoft.Extensions.Options;

namespace Messaging.DirectMessages;

/// <summary>
/// How Direct-Message access codes are protected (R18). Bound from <c>Messaging:DirectMessages</c> by convention and
/// validated at start-up.
/// </summary>
public sealed class DirectMessageSecurityOptions
{
    /// <summary>The configuration section these options are conventionally bound from.</summary>
    public const string SectionName = "Messaging:DirectMessages";

    /// <summary>
    /// The server-side secret mixed into every access-code hash as HMAC-SHA256(pepper, code) before Argon2id: base64 of
    /// at least 32 random bytes (e.g. <c>openssl rand -base64 32</c>). Required.
    /// </summary>
    /// <remarks>
    /// Keep it outside the database (a key vault, an environment variable), so a stolen database alone cannot be used to
    /// brute-force the short codes. Changing it makes every outstanding code fail to verify; codes are short-lived, so
    /// rotate by changing it and letting staff resend codes still needed. It is never logged or put in error messages.
    /// </remarks>
    /// <value>The default value is <see langword="null"/>, which fails validation.</value>
    public string? Pepper { get; set; }

    /// <summary>The Argon2id cost used for new hashes. Existing hashes keep verifying with the parameters stored with them.</summary>
    /// <value>The default value is OWASP's minimum: 19456 KiB, 2 iterations, 1 lane (<see cref="Argon2idParameters.Owasp"/>).</value>
    public Argon2idOptions Argon2 { get; set; } = new();

    /// <summary>
    /// How many Argon2id computations (hashes and verifications) run at once in this process. Each holds
    /// <see cref="Argon2idOptions.MemoryKiB"/> of memory and a core for tens of milliseconds, so this bounds both.
    /// </summary>
    /// <value>The default value is the number of processors (at least 1).</value>
    public int MaxConcurrentHashes { get; set; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>
    /// How long a hash or verification waits for a free slot when <see cref="MaxConcurrentHashes"/> are already running.
    /// After that it fails with a <see cref="MessagingConflictException"/> whose code is <c>directmessage.busy</c>, which
    /// a host can show as "try again in a moment". <see cref="TimeSpan.Zero"/> means never wait.
    /// </summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan HashQueueTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the link in a Direct Message's email works, from when the email is handed to its provider. Once it has
    /// expired, a staff resend sends a new link as well as a new code.
    /// </summary>
    /// <value>The default value is 7 days.</value>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long an access code works, from when its SMS is handed to its provider.</summary>
    /// <value>The default value is 7 days.</value>
    public TimeSpan AccessCodeLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Symbols per access code (from a 26-symbol alphabet without look-alikes, about 4.7 bits each).</summary>
    /// <value>The default value is 8 (about 37.6 bits, against at most 5 guesses per code).</value>
    public int AccessCodeLength { get; set; } = AccessCodeGenerator.MinLength;
}

/// <summary>Settable Argon2id cost, so it can be bound from configuration (<c>Messaging:DirectMessages:Argon2</c>).</summary>
public sealed class Argon2idOptions
{
    /// <summary>Memory cost in KiB (Argon2's <c>m</c>); at least 8 × <see cref="Parallelism"/>, at most 4 GiB.</summary>
    /// <value>The default value is 19456 (19 MiB).</value>
    public int MemoryKiB { get; set; } = Argon2idParameters.Owasp.MemoryKiB;

    /// <summary>Passes over the memory (Argon2's <c>t</c>); at least 1.</summary>
    /// <value>The default value is 2.</value>
    public int Iterations { get; set; } = Argon2idParameters.Owasp.Iterations;

    /// <summary>
    /// Lanes (Argon2's <c>p</c>); at least 1. Part of the result. A libsodium hasher supports only 1, so keep 1 if you
    /// may plug one in.
    /// </summary>
    /// <value>The default value is 1.</value>
    public int Parallelism { get; set; } = Argon2idParameters.Owasp.Parallelism;

    /// <summary>The validated parameters.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside Argon2's limits.</exception>
    public Argon2idParameters ToParameters() => new(MemoryKiB, Iterations, Parallelism);
}

/// <summary>Fails start-up on a missing or weak pepper or impossible Argon2 settings, naming the setting (never the pepper).</summary>
internal sealed class DirectMessageSecurityOptionsValidator : IValidateOptions<DirectMessageSecurityOptions>
{
    public const int MinPepperBytes = 32;

    public ValidateOptionsResult Validate(string? name, DirectMessageSecurityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string P = DirectMessageSecurityOptions.SectionName + ":";
        var failures = new List<string>();

        if (string.IsNullOrWhiteSpace(options.Pepper))
        {
            failures.Add($"{P}Pepper is required: base64 of at least {MinPepperBytes} random bytes (e.g. `openssl rand -base64 32`), kept outside the database.");
        }
        else if (!TryDecodePepper(options.Pepper, out var pepper))
        {
            failures.Add($"{P}Pepper must be at least {MinPepperBytes} bytes of base64; the value set is not valid base64 of that length.");
        }
        else
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(pepper);
        }

        var argon2 = options.Argon2;
        if (argon2 is null)
        {
            failures.Add($"{P}Argon2 must be set.");
        }
        else
        {
            if (argon2.Parallelism is < 1 or > Argon2idParameters.MaxParallelism)
            {
                failures.Add($"{P}Argon2:Parallelism must be between 1 and {Argon2idParameters.MaxParallelism}; it is {argon2.Parallelism}.");
            }

            if (argon2.Iterations < 1)
            {
                failures.Add($"{P}Argon2:Iterations must be at least 1; it is {argon2.Iterations}.");
            }

            var minMemory = 8L * Math.Max(1, argon2.Parallelism);
            if (argon2.MemoryKiB < minMemory || argon2.MemoryKiB > Argon2idParameters.MaxMemoryKiB)
            {
                failures.Add($"{P}Argon2:MemoryKiB must be between {minMemory} (8 per lane) and {Argon2idParameters.MaxMemoryKiB}; it is {argon2.MemoryKiB}.");
            }
        }

        if (options.MaxConcurrentHashes is < 1 or > 1024)
        {
            failures.Add($"{P}MaxConcurrentHashes must be between 1 and 1024; it is {options.MaxConcurrentHashes}.");
        }

        if (options.HashQueueTimeout < TimeSpan.Zero || options.HashQueueTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{P}HashQueueTimeout must be between 0 and 10 minutes; it is {options.HashQueueTimeout}.");
        }

        if (options.LinkLifetime < TimeSpan.FromMinutes(5) || options.LinkLifetime > TimeSpan.FromDays(90))
        {
            failures.Add($"{P}LinkLifetime must be between 5 minutes and 90 days; it is {options.LinkLifetime}.");
        }

        if (options.AccessCodeLifetime < TimeSpan.FromMinutes(5) || options.AccessCodeLifetime > TimeSpan.FromDays(90))
        {
            failures.Add($"{P}AccessCodeLifetime must be between 5 minutes and 90 days; it is {options.AccessCodeLifetime}.");
        }

        if (options.AccessCodeLength is < AccessCodeGenerator.MinLength or > AccessCodeGenerator.MaxLength)
        {
            failures.Add($"{P}AccessCodeLength must be between {AccessCodeGenerator.MinLength} and {AccessCodeGenerator.MaxLength}; it is {options.AccessCodeLength}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Decodes the pepper; false unless it is base64 of at least <see cref="MinPepperBytes"/> bytes.</summary>
    public static bool TryDecodePepper(string? base64, out byte[] pepper)
    {
        pepper = [];
        if (string.IsNullOrWhiteSpace(base64))
        {
            return false;
        }

        var buffer = new byte[(base64.Length / 4 * 3) + 3];
        if (!Convert.TryFromBase64String(base64.Trim(), buffer, out var written) || written < MinPepperBytes)
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(buffer);
            return false;
        }

        pepper = buffer[..written];
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(buffer);
        return true;
    }
}
