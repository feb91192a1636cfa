using System.Text;
using static Messaging.Tests.DirectMessages.AccessCodeTestSupport;

namespace Messaging.Tests.DirectMessages;

public sealed class AccessCodeHasherTests
{
    [Fact]
    public async Task The_right_code_verifies()
    {
        using var hasher = Hasher(Options());
        var stored = await hasher.HashAsync("ACDE7H9K");

        (await hasher.VerifyAsync("ACDE7H9K", stored)).Should().BeTrue();
    }

    [Theory]
    [InlineData("ACDE7H9L")]
    [InlineData("ACDE7H9")]
    [InlineData("ACDE7H9KK")]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_wrong_code_does_not_verify(string attempt)
    {
        using var hasher = Hasher(Options());
        var stored = await hasher.HashAsync("ACDE7H9K");

        (await hasher.VerifyAsync(attempt, stored)).Should().BeFalse();
    }

    [Fact]
    public async Task A_hash_made_with_another_pepper_does_not_verify()
    {
        using var original = Hasher(Options());
        using var otherPepper = Hasher(Options());
        var stored = await original.HashAsync("ACDE7H9K");

        (await otherPepper.VerifyAsync("ACDE7H9K", stored)).Should().BeFalse();
    }

    [Theory]
    [InlineData("acde7h9k")]
    [InlineData("ACDE-7H9K")]
    [InlineData(" acde 7h9k ")]
    public async Task A_code_typed_in_lower_case_or_with_spaces_and_hyphens_verifies(string typed)
    {
        using var hasher = Hasher(Options());
        var stored = await hasher.HashAsync("ACDE7H9K");

        (await hasher.VerifyAsync(typed, stored)).Should().BeTrue();
    }

    [Fact]
    public async Task Each_hash_has_its_own_16_byte_salt_and_a_32_byte_hash()
    {
        using var hasher = Hasher(Options());
        var first = await hasher.HashAsync("ACDE7H9K");
        var second = await hasher.HashAsync("ACDE7H9K");

        first.Salt.Length.Should().Be(16);
        first.Hash.Length.Should().Be(32);
        first.Salt.ToArray().Should().NotEqual(second.Salt.ToArray());
        first.Hash.ToArray().Should().NotEqual(second.Hash.ToArray());
    }

    [Fact]
    public async Task The_stored_record_holds_no_code_in_clear()
    {
        const string Code = "ACDE7H9K";
        using var hasher = Hasher(Options());
        var stored = await hasher.HashAsync(Code);
        var codeBytes = Encoding.UTF8.GetBytes(Code);
        var codeUtf16 = Encoding.Unicode.GetBytes(Code);

        foreach (var part in new[] { stored.Hash.ToArray(), stored.Salt.ToArray() })
        {
            part.AsSpan().IndexOf(codeBytes).Should().Be(-1);
            part.AsSpan().IndexOf(codeUtf16).Should().Be(-1);
        }

        var phc = stored.ToPhcString();
        phc.Should().NotContainEquivalentOf(Code);
        phc.Should().NotContain(Convert.ToBase64String(codeBytes).TrimEnd('='));
        stored.ToString().Should().NotContainEquivalentOf(Code).And.NotContain(Convert.ToBase64String(stored.Hash.ToArray()).TrimEnd('='));
    }

    [Fact]
    public async Task A_hash_keeps_verifying_with_its_own_parameters_after_the_settings_are_raised()
    {
        var pepper = NewPepper();
        using var before = Hasher(Options(pepper, new Argon2idParameters(64, 1, 1)));
        var old = await before.HashAsync("ACDE7H9K");

        using var after = Hasher(Options(pepper, new Argon2idParameters(512, 3, 2)));
        var fresh = await after.HashAsync("ACDE7H9K");

        old.Parameters.Should().Be(new Argon2idParameters(64, 1, 1));
        fresh.Parameters.Should().Be(new Argon2idParameters(512, 3, 2));
        (await after.VerifyAsync("ACDE7H9K", old)).Should().BeTrue();
        (await after.VerifyAsync("ACDE7H9L", old)).Should().BeFalse();
    }

    [Fact]
    public async Task The_hash_is_plain_argon2id_of_hmac_sha256_of_the_code_as_konscious_computes_it()
    {
        var options = Options();
        using var hasher = Hasher(options);
        var stored = await hasher.HashAsync("ACDE7H9K");

        using var reference = new Konscious.Security.Cryptography.Argon2id(PepperedPassword(options.Pepper!, "ACDE7H9K"))
        {
            Salt = stored.Salt.ToArray(),
            MemorySize = Cheap.MemoryKiB,
            Iterations = Cheap.Iterations,
            DegreeOfParallelism = Cheap.Parallelism,
        };

        stored.Hash.ToArray().Should().Equal(reference.GetBytes(32));
    }

    [Fact]
    public async Task The_hash_with_default_owasp_parameters_is_what_libsodium_computes()
    {
        var options = Options(parameters: Argon2idParameters.Owasp);
        using var hasher = Hasher(options);
        var stored = await hasher.HashAsync("ACDE7H9K");

        var libsodium = new byte[32];
        Geralt.Argon2id.DeriveKey(libsodium, PepperedPassword(options.Pepper!, "ACDE7H9K"), stored.Salt.Span, iterations: 2, memorySize: 19456 * 1024);

        stored.Parameters.Should().Be(Argon2idParameters.Owasp);
        stored.ToPhcString().Should().StartWith("$argon2id$v=19$m=19456,t=2,p=1$");
        stored.Hash.ToArray().Should().Equal(libsodium);
    }

    [Fact]
    public async Task A_plugged_in_libsodium_hasher_verifies_hashes_made_by_the_default_one()
    {
        var options = Options();
        using var konscious = Hasher(options);
        using var libsodium = Hasher(options, new LibsodiumArgon2idHasher());
        var stored = await konscious.HashAsync("ACDE7H9K");

        (await libsodium.VerifyAsync("ACDE7H9K", stored)).Should().BeTrue();
        (await libsodium.VerifyAsync("ACDE7H9L", stored)).Should().BeFalse();
    }

    [Fact]
    public void The_hasher_refuses_options_without_a_valid_pepper()
    {
        var act = () => Hasher(Options(pepper: Convert.ToBase64String(new byte[16])));

        act.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>()
            .WithMessage("*Messaging:DirectMessages:Pepper*");
    }

    [Fact]
    public async Task Hashing_an_empty_code_is_refused()
    {
        using var hasher = Hasher(Options());

        var act = async () => await hasher.HashAsync(" - ");

        await act.Should().ThrowAsync<ArgumentException>();
    }

    /// <summary>libsodium through Geralt, the way a host would plug it in.</summary>
    private sealed class LibsodiumArgon2idHasher : IArgon2idHasher
    {
        public void Hash(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2idParameters parameters, Span<byte> output)
        {
            if (parameters.Parallelism != 1 || salt.Length != Geralt.Argon2id.SaltSize)
            {
                throw new NotSupportedException("libsodium computes Argon2id with one lane and a 16-byte salt only.");
            }

            Geralt.Argon2id.DeriveKey(output, password, salt, parameters.Iterations, parameters.MemoryKiB * 1024);
        }
    }
}
