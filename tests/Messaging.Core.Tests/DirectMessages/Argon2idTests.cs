using Messaging.DirectMessages;

namespace Messaging.Tests.DirectMessages;

/// <summary>The raw Argon2id layer: published reference vectors, the PHC string form and parameter limits.</summary>
public sealed class Argon2idTests
{
    // From the Argon2 reference implementation's test suite (P-H-C/phc-winner-argon2, src/test.c and its encoded strings):
    // password "password", salt "somesalt".
    public static TheoryData<string> ReferenceVectors => new()
    {
        "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
        "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
    };

    [Theory]
    [MemberData(nameof(ReferenceVectors))]
    public void The_default_hasher_reproduces_the_reference_implementations_vectors(string phc)
    {
        var vector = HashedAccessCode.Parse(phc);
        var output = new byte[vector.Hash.Length];

        new KonsciousArgon2idHasher().Hash("password"u8, vector.Salt.Span, vector.Parameters, output);

        output.Should().Equal(vector.Hash.ToArray());
    }

    [Fact]
    public void The_reference_vector_decodes_to_the_published_tag()
    {
        var vector = HashedAccessCode.Parse("$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc");

        vector.Parameters.Should().Be(new Argon2idParameters(65536, 2, 1));
        vector.Salt.ToArray().Should().Equal("somesalt"u8.ToArray());
        Convert.ToHexStringLower(vector.Hash.Span).Should().Be("09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7");
    }

    [Theory]
    [MemberData(nameof(ReferenceVectors))]
    public void A_stored_record_round_trips_through_its_phc_string(string phc)
    {
        var parsed = HashedAccessCode.Parse(phc);

        parsed.ToPhcString().Should().Be(phc);
        HashedAccessCode.Parse(parsed.ToPhcString()).Should().Be(parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")]
    [InlineData("$argon2id$v=16$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")]
    [InlineData("$argon2id$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")]
    [InlineData("$argon2id$v=19$t=2,m=256,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")]
    [InlineData("$argon2id$v=19$m=-256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")]
    [InlineData("$argon2id$v=19$m=4,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")]
    [InlineData("$argon2id$v=19$m=256,t=0,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")]
    [InlineData("$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$")]
    [InlineData("$argon2id$v=19$m=256,t=2,p=1$c2FsdA$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")]
    [InlineData("$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4=")]
    [InlineData("$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4$extra")]
    public void A_string_that_is_not_an_argon2id_v19_phc_hash_is_not_read(string phc)
    {
        HashedAccessCode.TryParse(phc, out _).Should().BeFalse();
        var act = () => HashedAccessCode.Parse(phc);
        act.Should().Throw<FormatException>();
    }

    [Fact]
    public void Owasp_parameters_are_19_mib_2_iterations_1_lane()
        => Argon2idParameters.Owasp.Should().Be(new Argon2idParameters(19456, 2, 1));

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(7, 1, 1)]
    [InlineData(15, 1, 2)]
    [InlineData(64, 0, 1)]
    [InlineData(64, 1, 0)]
    [InlineData(Argon2idParameters.MaxMemoryKiB + 1, 1, 1)]
    public void Parameters_outside_argon2s_limits_are_refused(int memoryKiB, int iterations, int parallelism)
    {
        var act = () => new Argon2idParameters(memoryKiB, iterations, parallelism);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Default_parameters_are_refused_by_the_hasher()
    {
        var act = () => new KonsciousArgon2idHasher().Hash("password"u8, "somesalt"u8, default, new byte[32]);

        default(Argon2idParameters).IsValid.Should().BeFalse();
        act.Should().Throw<ArgumentException>();
    }
}
