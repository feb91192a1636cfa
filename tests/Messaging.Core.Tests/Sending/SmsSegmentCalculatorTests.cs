namespace Messaging.Tests.Sending;

public sealed class SmsSegmentCalculatorTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    public void Plain_gsm_text_fits_160_in_one_part_and_153_per_part_when_split(int length, int segments)
        => SmsSegmentCalculator.Calculate(new string('a', length)).Segments.Should().Be(segments);

    [Fact]
    public void Extension_characters_count_as_two_septets()
    {
        SmsSegmentCalculator.Calculate(new string('€', 80)).Segments.Should().Be(1);   // 160 septets
        SmsSegmentCalculator.Calculate(new string('€', 81)).Segments.Should().Be(2);   // 162 septets
        SmsSegmentCalculator.Calculate(new string('a', 159) + "[").Segments.Should().Be(2);
    }

    [Fact]
    public void An_extension_character_at_a_part_boundary_moves_whole_to_the_next_part()
    {
        // 152 plain + "{" would straddle septets 153-154: the escape pair moves to part two.
        // Naively 152 + 2 + 152 = 306 septets = 2 parts; with the pair moved, part one holds 152 and part two 154 -> 3 parts.
        var text = new string('a', 152) + "{" + new string('a', 152);
        SmsSegmentCalculator.Calculate(text).Segments.Should().Be(3);
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    public void One_non_gsm_character_makes_the_whole_message_ucs2_at_70_and_67(int length, int segments)
        => SmsSegmentCalculator.Calculate("’" + new string('a', length - 1)).Segments.Should().Be(segments);

    [Fact]
    public void An_emoji_at_a_part_boundary_is_never_split()
    {
        // 66 code units then a surrogate pair: it does not fit in part one's 67, so it opens part two (66 + 2 > 67).
        var text = new string('a', 66) + "😀" + new string('a', 66);
        text.Length.Should().Be(134);
        SmsSegmentCalculator.Calculate(text).Segments.Should().Be(3);   // naive 134 / 67 = 2
    }

    [Fact]
    public void Greek_capitals_and_other_gsm_letters_stay_in_gsm7()
    {
        SmsSegmentCalculator.Calculate(new string('Δ', 160)).Segments.Should().Be(1);
        SmsSegmentCalculator.Calculate("Ç" + new string('é', 159)).Segments.Should().Be(1);
        SmsSegmentCalculator.Calculate("ç" + new string('a', 159)).Segments.Should().Be(3, "lower-case ç is not in GSM-7, so 160 UCS-2 units make 3 parts");
    }

    [Fact]
    public void Empty_text_has_no_segments() => SmsSegmentCalculator.Calculate(string.Empty).Segments.Should().Be(0);

    [Fact]
    public void The_result_reports_encoding_units_credits_and_room_left()
    {
        SmsSegmentCalculator.Calculate("Hello [world]").Should().Be(new SmsSegmentInfo(SmsEncoding.Gsm7, 1, 15, 145));
        SmsSegmentCalculator.Calculate(new string('a', 200)).Should().Match<SmsSegmentInfo>(i => i.Credits == 2 && i.RemainingInLastSegment == 106);
        SmsSegmentCalculator.Calculate("Hi 😀").Should().Be(new SmsSegmentInfo(SmsEncoding.Ucs2, 1, 5, 65));
    }
}
