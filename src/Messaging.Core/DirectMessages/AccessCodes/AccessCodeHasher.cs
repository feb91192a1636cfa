using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.DirectMessages;

/// <summary>
/// Hashes and verifies Direct-Message access codes (R18): Argon2id over HMAC-SHA256(pepper, code), compared in constant
/// time, with a bounded number of the memory-hard computations running at once. Register as a singleton: the limit is
/// per instance.
/// </summary>
/// <remarks>
/// <para>
/// Codes are canonicalised before hashing and verifying: whitespace and hyphens are dropped and letters upper-cased, so
/// a patient who types <c>acde-fg34</c> unlocks a code sent as <c>ACDEFG34</c>. Codes are at most
/// <see cref="MaxCodeLength"/> characters once canonicalised.
/// </para>
/// <para>
/// Every computation takes a slot of <see cref="DirectMessageSecurityOptions.MaxConcurrentHashes"/>; a caller that finds
/// none free waits up to <see cref="DirectMessageSecurityOptions.HashQueueTimeout"/> and then gets a
/// <see cref="MessagingConflictException"/> with code <see cref="BusyErrorCode"/>. This keeps a burst of unlock attempts
/// from using unbounded memory (19 MiB each by default) or starving the process of cores.
/// </para>
/// </remarks>
internal sealed class AccessCodeHasher : IDisposable
{
    /// <summary>The stable error code when every hashing slot stayed busy past the queue timeout.</summary>
    public const string BusyErrorCode = MessagingErrorCodes.DirectMessageBusy;

    /// <summary>The longest canonical code accepted.</summary>
    public const int MaxCodeLength = 64;

    /// <summary>Bytes of random salt per hash (libsodium's fixed salt size, so a libsodium hasher can verify too).</summary>
    public const int SaltLength = 16;

    /// <summary>Bytes of Argon2id output per hash.</summary>
    public const int HashLength = 32;

    private readonly IArgon2idHasher _argon2;
    private readonly ILogger _logger;
    private readonly byte[] _pepper;
    private readonly Argon2idParameters _parameters;
    private readonly TimeSpan _queueTimeout;
    private readonly int _maxConcurrent;
    private readonly SemaphoreSlim _slots;
    private int _running;
    private int _peakRunning;

    public AccessCodeHasher(IArgon2idHasher argon2, IOptions<DirectMessageSecurityOptions> options, ILogger<AccessCodeHasher> logger)
    {
        ArgumentNullException.ThrowIfNull(argon2);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);

        var value = options.Value;
        var validation = new DirectMessageSecurityOptionsValidator().Validate(null, value);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(DirectMessageSecurityOptions), validation.Failures);
        }

        DirectMessageSecurityOptionsValidator.TryDecodePepper(value.Pepper, out _pepper);
        _argon2 = argon2;
        _logger = logger;
        _parameters = value.Argon2.ToParameters();
        _queueTimeout = value.HashQueueTimeout;
        _maxConcurrent = value.MaxConcurrentHashes;
        _slots = new SemaphoreSlim(_maxConcurrent, _maxConcurrent);
    }

    /// <summary>The parameters new hashes are made with.</summary>
    public Argon2idParameters Parameters => _parameters;

    /// <summary>The most Argon2id computations that ever ran at the same time in this instance (for tests and diagnostics).</summary>
    internal int PeakConcurrentComputations => Volatile.Read(ref _peakRunning);

    /// <summary>Hashes a new code with a fresh random salt and the current parameters.</summary>
    /// <param name="code">The code as sent to the patient, e.g. from <see cref="AccessCodeGenerator.Generate"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for a slot (a running computation is not interrupted).</param>
    /// <exception cref="ArgumentException">The code is empty or longer than <see cref="MaxCodeLength"/> once canonicalised.</exception>
    /// <exception cref="MessagingConflictException">No slot came free in time (<see cref="BusyErrorCode"/>).</exception>
    public async ValueTask<HashedAccessCode> HashAsync(string code, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (!IsAcceptable(code))
        {
            throw new ArgumentException($"An access code must have 1 to {MaxCodeLength} characters besides spaces and hyphens.", nameof(code));
        }

        var salt = RandomNumberGenerator.GetBytes(SaltLength);
        var hash = new byte[HashLength];
        await ComputeAsync(code, salt, _parameters, hash, cancellationToken).ConfigureAwait(false);
        var result = new HashedAccessCode(hash, salt, _parameters);
        CryptographicOperations.ZeroMemory(hash);
        return result;
    }

    /// <summary>
    /// Whether <paramref name="code"/> is the code behind <paramref name="stored"/>, using the salt and parameters stored
    /// with it (so hashes made under older settings keep verifying). The comparison takes constant time.
    /// </summary>
    /// <param name="code">What the patient typed.</param>
    /// <param name="stored">The stored hash.</param>
    /// <param name="cancellationToken">Cancels the wait for a slot (a running computation is not interrupted).</param>
    /// <returns><see langword="false"/> for a wrong code, including an empty or over-long one.</returns>
    /// <exception cref="MessagingConflictException">No slot came free in time (<see cref="BusyErrorCode"/>).</exception>
    public async ValueTask<bool> VerifyAsync(string code, HashedAccessCode stored, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(stored);
        if (!IsAcceptable(code))
        {
            return false;
        }

        var actual = new byte[stored.Hash.Length];
        try
        {
            await ComputeAsync(code, stored.Salt, stored.Parameters, actual, cancellationToken).ConfigureAwait(false);
            return CryptographicOperations.FixedTimeEquals(actual, stored.Hash.Span);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(actual);
        }
    }

    public void Dispose() => _slots.Dispose();

    private static bool IsAcceptable(string code)
    {
        var length = 0;
        foreach (var c in code)
        {
            if (!IsSeparator(c) && ++length > MaxCodeLength)
            {
                return false;
            }
        }

        return length > 0;
    }

    private static bool IsSeparator(char c) => c == '-' || char.IsWhiteSpace(c);

    private async ValueTask ComputeAsync(string code, ReadOnlyMemory<byte> salt, Argon2idParameters parameters, byte[] output, CancellationToken cancellationToken)
    {
        if (!await _slots.WaitAsync(_queueTimeout, cancellationToken).ConfigureAwait(false))
        {
            Log.AccessCodeHashingBusy(_logger, _maxConcurrent, _queueTimeout);
            throw new MessagingConflictException(
                BusyErrorCode,
                $"Access-code hashing is at capacity ({_maxConcurrent} at once) and no slot came free within {_queueTimeout.TotalSeconds:0.###} s; try again shortly.");
        }

        try
        {
            var running = Interlocked.Increment(ref _running);
            RecordPeak(running);
            try
            {
                Compute(code, salt.Span, parameters, output);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    private void Compute(string code, ReadOnlySpan<byte> salt, Argon2idParameters parameters, Span<byte> output)
    {
        // Canonical code -> UTF-8 -> HMAC-SHA256(pepper, .) -> Argon2id. Buffers live on the stack and are wiped.
        Span<char> canonical = stackalloc char[MaxCodeLength];
        Span<byte> utf8 = stackalloc byte[MaxCodeLength * 3];
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        try
        {
            var length = 0;
            foreach (var c in code)
            {
                if (!IsSeparator(c))
                {
                    canonical[length++] = char.ToUpperInvariant(c);
                }
            }

            var bytes = Encoding.UTF8.GetBytes(canonical[..length], utf8);
            HMACSHA256.HashData(_pepper, utf8[..bytes], mac);
            _argon2.Hash(mac, salt, parameters, output);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshalBytes(canonical));
            CryptographicOperations.ZeroMemory(utf8);
            CryptographicOperations.ZeroMemory(mac);
        }
    }

    private static Span<byte> MemoryMarshalBytes(Span<char> chars) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(chars);

    private void RecordPeak(int running)
    {
        var peak = Volatile.Read(ref _peakRunning);
        while (running > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peakRunning, running, peak);
            if (seen == peak)
            {
                return;
            }

            peak = seen;
        }
    }
}
