using Messaging.DirectMessages;

namespace Messaging.Tests.DirectMessages;

public sealed class AccessCodeGeneratorTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(12)]
    [InlineData(32)]
    public void A_code_has_the_requested_length_and_only_alphabet_symbols(int length)
    {
        for (var i = 0; i < 200; i++)
        {
            var code = AccessCodeGenerator.Generate(length);

            code.Should().HaveLength(length);
            code.Should().Match(c => c.All(ch => AccessCodeGenerator.Alphabet.Contains(ch)));
        }
    }

    [Fact]
    public void Codes_are_eight_symbols_by_default() => AccessCodeGenerator.Generate().Should().HaveLength(8);

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(33)]
    public void Lengths_below_eight_or_above_32_are_refused(int length)
    {
        var act = () => AccessCodeGenerator.Generate(length);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void The_alphabet_has_no_look_alike_symbols_and_no_lower_case()
    {
        AccessCodeGenerator.Alphabet.Should().NotContainAny("0", "O", "1", "I", "l", "5", "S", "2", "Z", "8", "B");
        AccessCodeGenerator.Alphabet.Should().Be(AccessCodeGenerator.Alphabet.ToUpperInvariant());
        AccessCodeGenerator.Alphabet.Distinct().Should().HaveCount(AccessCodeGenerator.Alphabet.Length).And.HaveCount(26);
    }

    [Fact]
    public void Every_symbol_is_about_equally_likely()
    {
        // 20,000 codes = 160,000 symbols, about 6,154 per symbol. A modulo-biased draw (e.g. byte % 26) would put the
        // first 22 symbols about 10% above the last 4 and push chi-square into the thousands. With 25 degrees of freedom
        // a fair generator exceeds 80 with probability below one in a million.
        var alphabet = AccessCodeGenerator.Alphabet;
        var counts = new int[alphabet.Length];
        for (var i = 0; i < 20_000; i++)
        {
            foreach (var c in AccessCodeGenerator.Generate())
            {
                counts[alphabet.IndexOf(c, StringComparison.Ordinal)]++;
            }
        }

        var expected = 160_000.0 / alphabet.Length;
        var chiSquare = counts.Sum(n => (n - expected) * (n - expected) / expected);

        chiSquare.Should().BeLessThan(80);
        AccessCodeGenerator.Generate().Should().NotBe(AccessCodeGenerator.Generate());
    }
}
