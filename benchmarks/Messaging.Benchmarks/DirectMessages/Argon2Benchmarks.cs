using System.Security.Cryptography;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using Messaging.DirectMessages;
using Messaging.Testing.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;

namespace Messaging.Benchmarks.DirectMessages;

/// <summary>
/// One Direct-Message access-code check at OWASP's Argon2id cost (19 MiB, t=2, p=1), R18: a whole unlock through
/// <see cref="IDirectMessageService.UnlockAsync"/> (link lookup, verify, audit, in-memory store) with the default
/// settings and again with <c>.AddSodiumArgon2id()</c> (Messaging.Security.Sodium), the SDK's verify over the default managed
/// hasher (Konscious), the raw Konscious computation, and the same
/// computation in libsodium (Geralt). Setup proves the hashes are the same bytes, so the comparison is like for like.
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
    private Unlocking _konsciousUnlock = null!;
    private Unlocking _sodiumUnlock = null!;

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

        _konsciousUnlock = SetUpDirectMessageAsync(pepper, sodium: false).GetAwaiter().GetResult();
        _sodiumUnlock = SetUpDirectMessageAsync(pepper, sodium: true).GetAwaiter().GetResult();
        if (_sodiumUnlock.Services.GetRequiredService<IArgon2idHasher>().GetType().Assembly.GetName().Name != "Messaging.Security.Sodium")
        {
            throw new InvalidOperationException("The Sodium unlock does not use the Messaging.Security.Sodium hasher.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _hasher.Dispose();
        _konsciousUnlock.Services.Dispose();
        _sodiumUnlock.Services.Dispose();
    }

    [Benchmark(Description = "DirectMessageUnlock (default: Konscious)")]
    public DirectMessageUnlockStatus DirectMessageUnlock() => _konsciousUnlock.Unlock();

    [Benchmark(Description = "DirectMessageUnlock (.AddSodiumArgon2id())")]
    public DirectMessageUnlockStatus DirectMessageUnlockSodium() => _sodiumUnlock.Unlock();

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

    /// <summary>A host with one delivered Direct Message, and the link token and code the patient received.</summary>
    private sealed record Unlocking(ServiceProvider Services, IDirectMessageService DirectMessages, string LinkToken, string AccessCode)
    {
        public DirectMessageUnlockStatus Unlock() => DirectMessages.UnlockAsync(LinkToken, AccessCode).GetAwaiter().GetResult().Status;
    }

    /// <summary>A Direct Message sent and delivered with the default settings (only the pepper set; the Sodium hasher if asked), and its link token and code as the patient received them.</summary>
    private static async Task<Unlocking> SetUpDirectMessageAsync(byte[] pepper, bool sodium)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2026, 11, 23, 9, 0)));
        var builder = services.AddPatientMessaging(o =>
        {
            o.PublicBaseUrl = new Uri("https://bench.example/m/");
            o.LinkKey = "bGluay1rZXktZm9yLXRlc3RzLW9ubHktMzItYnl0ZXMhIQ==";
        })
            .AddInMemoryStore()
            .AddDirectMessages(o => o.Pepper = Convert.ToBase64String(pepper));
        if (sodium)
        {
            builder.AddSodiumArgon2id();
        }

        var sms = new FakeSmsProvider();
        var email = new FakeEmailProvider();
        services.AddSingleton<ISmsProvider>(sms);
        services.AddSingleton<IEmailProvider>(email);
        var provider = services.BuildServiceProvider();

        var org = new OrganisationId("bench-org");
        var workspace = new WorkspaceId("bench-ws");
        var sender = new StaffId("sender");
        var patient = new PatientId("p-1");
        await provider.GetRequiredService<IWorkspaceService>().CreateOrganisationAsync(new CreateOrganisationRequest
        {
            OrganisationId = org, Name = "Bench trust", DefaultWorkspaceId = workspace, FirstAdmin = new NewMember(sender, "sender@bench.example", "Sender"),
        });
        await provider.GetRequiredService<IPatientService>().RegisterAsync(sender, workspace, new PatientRegistration
        {
            PatientId = patient, NhsNumber = "9434765919", DateOfBirth = new LocalDate(1970, 3, 14), GivenName = "Jane", FamilyName = "Doe",
            Mobile = "07400 123456", Email = "jane@bench.example",
        });
        await provider.GetRequiredService<ICreditService>().PurchaseAsync(sender, org, 10, "bench");
        var directMessages = provider.GetRequiredService<IDirectMessageService>();
        await directMessages.SendAsync(sender, new SendDirectMessageRequest { WorkspaceId = workspace, PatientId = patient, Subject = "Results", Body = "Your results are normal." });
        await provider.GetRequiredService<IOutboxDispatcher>().DispatchDueAsync();

        var linkToken = Regex.Match(email.Accepted[^1].TextBody, "/m/d/([A-Za-z0-9_-]{22})").Groups[1].Value;
        var accessCode = sms.Accepted[^1].Body[^8..];
        var stored = await provider.GetRequiredService<Storage.IMessagingStore>().FindDirectMessageByLinkTokenHashAsync(DirectMessageSecrets.HashLinkToken(linkToken));
        if (stored?.AccessCodeHash is not { } phc || HashedAccessCode.Parse(phc).Parameters != Argon2idParameters.Owasp)
        {
            throw new InvalidOperationException("The Direct Message's code was not hashed with the default (OWASP) parameters.");
        }

        var unlocking = new Unlocking(provider, directMessages, linkToken, accessCode);
        if (unlocking.Unlock() != DirectMessageUnlockStatus.Unlocked)
        {
            throw new InvalidOperationException("The Direct Message did not unlock with the link and code the patient received.");
        }

        return unlocking;
    }
}
