using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Messaging.DirectMessages;
using Messaging.Storage;
using Messaging.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Security.Sodium.Tests;

/// <summary>
/// The libsodium hasher (issue 25) computes the same Argon2id as the managed default, so an access code hashed by
/// either verifies with the other, through the SDK's own Direct-Message unlock; a wrong code is refused by both.
/// </summary>
public sealed partial class SodiumArgon2idHasherTests
{
    private static readonly string Pepper = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [GeneratedRegex(@"https://ehr\.example\.nhs\.uk/m/d/([A-Za-z0-9_-]{22})")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@" ([A-Z0-9]{8,32})$")]
    private static partial Regex CodePattern();

    /// <summary>The managed default, as the SDK registers it.</summary>
    private static IArgon2idHasher Konscious()
    {
        var services = new ServiceCollection();
        services.AddPatientMessaging(o => { o.PublicBaseUrl = new Uri("https://ehr.example.nhs.uk/m/"); o.LinkKey = TestSecrets.LinkKey; }).AddInMemoryStore();
        var hasher = services.BuildServiceProvider().GetRequiredService<IArgon2idHasher>();
        hasher.GetType().Name.Should().Be("KonsciousArgon2idHasher", "the comparison is against the SDK's default");
        return hasher;
    }

    [Theory]
    [InlineData(19456, 2, 32)] // the SDK's default: OWASP's m=19 MiB, t=2, 32-byte tag
    [InlineData(256, 1, 32)]
    [InlineData(1024, 3, 16)]
    [InlineData(4096, 1, 64)]
    public void Both_hashers_compute_the_same_bytes(int memoryKiB, int iterations, int tagBytes)
    {
        var parameters = new Argon2idParameters(memoryKiB, iterations, 1);
        var password = RandomNumberGenerator.GetBytes(32);
        var salt = RandomNumberGenerator.GetBytes(16);
        var managed = new byte[tagBytes];
        var native = new byte[tagBytes];

        Konscious().Hash(password, salt, parameters, managed);
        new SodiumArgon2idHasher().Hash(password, salt, parameters, native);

        native.Should().Equal(managed);
        native.Should().NotEqual(new byte[tagBytes]);
    }

    [Fact]
    public void Different_passwords_give_different_tags()
    {
        var parameters = new Argon2idParameters(256, 2, 1);
        var salt = new byte[16];
        var a = new byte[32];
        var b = new byte[32];
        var sodium = new SodiumArgon2idHasher();

        sodium.Hash("code-one"u8, salt, parameters, a);
        sodium.Hash("code-two"u8, salt, parameters, b);

        a.Should().NotEqual(b);
    }

    [Fact]
    public async Task A_code_hashed_by_the_default_unlocks_with_sodium_and_a_wrong_code_is_refused()
    {
        await using var konscious = await SenderAsync(sodium: false);
        var (token, code) = await SendDirectMessageAsync(konscious);
        await using var sodium = Reader(konscious.Store, sodium: true);

        (await Unlock(sodium, token, WrongCode(code))).Should().Be(DirectMessageUnlockStatus.WrongCode);
        (await Unlock(sodium, token, code)).Should().Be(DirectMessageUnlockStatus.Unlocked);
    }

    [Fact]
    public async Task A_code_hashed_by_sodium_unlocks_with_the_default_and_a_wrong_code_is_refused()
    {
        await using var sodium = await SenderAsync(sodium: true);
        var (token, code) = await SendDirectMessageAsync(sodium);
        await using var konscious = Reader(sodium.Store, sodium: false);

        (await Unlock(konscious, token, WrongCode(code))).Should().Be(DirectMessageUnlockStatus.WrongCode);
        (await Unlock(konscious, token, code)).Should().Be(DirectMessageUnlockStatus.Unlocked);
    }

    [Fact]
    public void One_call_replaces_the_default_hasher()
    {
        var services = new ServiceCollection();
        services.AddPatientMessaging(o => { o.PublicBaseUrl = new Uri("https://ehr.example.nhs.uk/m/"); o.LinkKey = TestSecrets.LinkKey; })
            .AddInMemoryStore()
            .AddSodiumArgon2id();

        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IArgon2idHasher>().Should().BeOfType<SodiumArgon2idHasher>();
        services.Count(d => d.ServiceType == typeof(IArgon2idHasher)).Should().Be(1);
    }

    [Fact]
    public void Parameters_libsodium_cannot_compute_exactly_are_refused_rather_than_computed_differently()
    {
        var sodium = new SodiumArgon2idHasher();
        var output = new byte[32];

        FluentActions.Invoking(() => sodium.Hash("x"u8, new byte[16], new Argon2idParameters(256, 1, 2), output)).Should().Throw<NotSupportedException>().WithMessage("*one lane*");
        FluentActions.Invoking(() => sodium.Hash("x"u8, new byte[8], new Argon2idParameters(256, 1, 1), output)).Should().Throw<NotSupportedException>().WithMessage("*16-byte*");
        FluentActions.Invoking(() => sodium.Hash("x"u8, new byte[16], new Argon2idParameters(256, 1, 1), new byte[8])).Should().Throw<NotSupportedException>();
        FluentActions.Invoking(() => sodium.Hash("x"u8, new byte[4], new Argon2idParameters(256, 1, 1), output)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => sodium.Hash("x"u8, new byte[16], default, output)).Should().Throw<ArgumentException>();
    }

    private static void Configure(IServiceCollection services, bool sodium)
    {
        services.Configure<DirectMessageSecurityOptions>(o =>
        {
            o.Pepper = Pepper;
            o.Argon2 = new Argon2idOptions { MemoryKiB = 1024, Iterations = 2, Parallelism = 1 };
        });
        if (sodium)
        {
            new Builder(services).AddSodiumArgon2id();
        }
    }

    private static async Task<TestWorld> SenderAsync(bool sodium)
    {
        var world = await CreateAsync(configure: s => Configure(s, sodium));
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        return world;
    }

    /// <summary>Another instance of the host, on the same store, with the other hasher.</summary>
    private static TestWorld Reader(IMessagingStore store, bool sodium) => Empty(s =>
    {
        s.AddSingleton(store);
        Configure(s, sodium);
    });

    private static async Task<(string Token, string Code)> SendDirectMessageAsync(TestWorld world)
    {
        await world.Services.GetRequiredService<IDirectMessageService>().SendAsync(Bob, new SendDirectMessageRequest
        {
            WorkspaceId = Dermatology, PatientId = Jane, Subject = "Your results", Body = "The biopsy showed a benign naevus.",
        });
        await world.Dispatcher.DispatchDueAsync();
        return (LinkPattern().Match(world.Email.Accepted[^1].TextBody).Groups[1].Value, CodePattern().Match(world.Sms.Accepted[^1].Body).Groups[1].Value);
    }

    private static async Task<DirectMessageUnlockStatus> Unlock(TestWorld world, string token, string code)
        => (await world.Services.GetRequiredService<IDirectMessageService>().UnlockAsync(token, code)).Status;

    private static string WrongCode(string code) => code[0] == 'A' ? "C" + code[1..] : "A" + code[1..];

    private sealed class Builder(IServiceCollection services) : IPatientMessagingBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
