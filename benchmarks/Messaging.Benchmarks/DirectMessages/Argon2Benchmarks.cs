using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Messaging.DirectMessages;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Messaging.Benchmarks.DirectMessages;

/// <summary>
/// One Direct-Message access-code check at OWASP's Argon2id cost (19 MiB, t=2, p=1), R18: the SDK's full verify over
/// the default managed hasher (Konscious), the raw Konscious computation, and the same computation in libsodium
/// (Geralt). Setup proves all three produce the same bytes, so the comparison is like for like.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class Argon2Benchmarks
{
    private const string Code = "ACDE7H9K";
    private readonly byte[] _output = new byte[32];
    private readonly KonsciousArgon2idHasher _konscious = new();
    private AccessCodeHasher _hasher = null!;
    private HashedAccessCode _stored = null!;
    private byte[] _password = null!;
    private byte[] _salt = null!;

    [GlobalSetup]
    public void Setup()
    {
        var pepper = RandomNumberGenerator.GetBytes(32);
        _hasher = new AccessCodeHasher(
            _konscious,
            Options.Create(new DirectMessageSecurityOptions { Pepper = Convert.ToBase64String(pepper), MaxConcurrentHashes = 1 }),
            NullLogger<AccessCodeHasher>.Instance);
        _stored = _hasher.HashAsync(Code).AsTask().GetAwaiter().GetResult();
        _password = HMACSHA256.HashData(pepper, System.Text.Encoding.UTF8.GetBytes(Code));
        _salt = _stored.Salt.ToArray();

        if (!_hasher.VerifyAsync(Code, _stored).AsTask().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("The SDK does not verify its own hash.");
        }

        var konscious = new byte[32];
        _konscious.Hash(_password, _salt, Argon2idParameters.Owasp, konscious);
        var libsodium = new byte[32];
        LibsodiumHash(libsodium);
        if (!konscious.AsSpan().SequenceEqual(_stored.Hash.Span) || !libsodium.AsSpan().SequenceEqual(_stored.Hash.Span))
        {
            throw new InvalidOperationException("Konscious, libsodium and the stored hash differ: the benchmark would compare different work.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _hasher.Dispose();

    [Benchmark(Baseline = true)]
    public bool SdkVerifyKonscious() => _hasher.VerifyAsync(Code, _stored).AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public byte KonsciousArgon2id()
    {
        _konscious.Hash(_password, _salt, Argon2idParameters.Owasp, _output);
        return _output[0];
    }

    [Benchmark]
    public byte LibsodiumArgon2id()
    {
        LibsodiumHash(_output);
        return _output[0];
    }

    private void LibsodiumHash(Span<byte> output)
        => Geralt.Argon2id.DeriveKey(output, _password, _salt, Argon2idParameters.Owasp.Iterations, Argon2idParameters.Owasp.MemoryKiB * 1024);
}
