using Messaging.Sending;

namespace Messaging.Tests.Sending;

public sealed class SmsSegmentsTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    public void Plain_gsm_text_fits_160_in_one_part_and_153_per_part_when_split(int length, int segments)
        => SmsSegments.Count(new string('a', length)).Should().Be(segments);

    [Fact]
    public void Extension_characters_count_as_two_septets()
    {
        SmsSegments.Count(new string('€', 80)).Should().Be(1);   // 160 septets
        SmsSegments.Count(new string('€', 81)).Should().Be(2);   // 162 septets
        SmsSegments.Count(new string('a', 159) + "[").Should().Be(2);
    }

    [Fact]
    public void An_extension_character_at_a_part_boundary_moves_whole_to_the_next_part()
    {
        // 152 plain + "{" would straddle septets 153-154: the escape pair moves to part two.
        // Naively 152 + 2 + 152 = 306 septets = 2 parts; with the pair moved, part one holds 152 and part two 154 -> 3 parts.
        var text = new string('a', 152) + "{" + new string('a', 152);
        SmsSegments.Count(text).Should().Be(3);
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    public void One_non_gsm_character_makes_the_whole_message_ucs2_at_70_and_67(int length, int segments)
        => SmsSegments.Count("’" + new string('a', length - 1)).Should().Be(segments);

    [Fact]
    public void An_emoji_at_a_part_boundary_is_never_split()
    {
        // 66 code units then a surrogate pair: it does not fit in part one's 67, so it opens part two (66 + 2 > 67).
        var text = new string('a', 66) + "😀" + new string('a', 66);
        text.Length.Should().Be(134);
        SmsSegments.Count(text).Should().Be(3);   // naive 134 / 67 = 2
    }

    [Fact]
    public void Greek_capitals_and_other_gsm_letters_stay_in_gsm7()
    {
        SmsSegments.Count(new string('Δ', 160)).Should().Be(1);
        SmsSegments.Count("Ç" + new string('é', 159)).Should().Be(1);
        SmsSegments.Count("ç" + new string('a', 159)).Should().Be(3, "lower-case ç is not in GSM-7, so 160 UCS-2 units make 3 parts");
    }

    [Fact]
    public void Empty_text_has_no_segments() => SmsSegments.Count(string.Empty).Should().Be(0);
}
