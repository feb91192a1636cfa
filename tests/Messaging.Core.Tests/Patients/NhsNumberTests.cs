using Messaging.Tests.Support;

namespace Messaging.Tests.Patients;

public sealed class NhsNumberTests
{
    [Theory]
    [InlineData("9434765919")]
    [InlineData("943 476 5919")]
    [InlineData(" 943 476 5919 ")]
    [InlineData("4010232137")]
    public void A_valid_number_parses_to_ten_digits_with_spaces_removed(string input)
    {
        NhsNumber.Parse(input).Value.Should().MatchRegex("^[0-9]{10}$").And.Be(input.Replace(" ", string.Empty, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("9434765918")] // check digit off by one
    [InlineData("9434765910")]
    [InlineData("943476591")]  // nine digits
    [InlineData("94347659190")] // eleven digits
    [InlineData("943-476-5919")]
    [InlineData("94347659l9")]
    [InlineData("")]
    public void A_wrong_check_digit_or_shape_is_refused_with_a_stable_code(string input)
    {
        var act = () => NhsNumber.Parse(input);

        act.Should().Throw<MessagingValidationException>()
            .Which.Should().Match<MessagingValidationException>(e => e.ErrorCode == MessagingErrorCodes.InvalidNhsNumber && e.Field == "nhsNumber");
    }

    [Fact]
    public void A_number_whose_check_digit_would_be_ten_is_never_valid()
    {
        // 123456789: sum = 1*10+2*9+...+9*2 = 210; 210 mod 11 = 1; 11 - 1 = 10 -> invalid whatever the last digit.
        for (var last = 0; last <= 9; last++)
        {
            NhsNumber.TryParse($"123456789{last}", out _).Should().BeFalse();
        }
    }

    [Fact]
    public void Generated_valid_numbers_all_parse()
    {
        for (var i = 0; i < 500; i++)
        {
            NhsNumber.TryParse(NhsNumbers.Valid(i), out _).Should().BeTrue();
        }
    }

    [Fact]
    public void The_error_message_never_repeats_the_number()
    {
        var act = () => NhsNumber.Parse("9434765918");

        act.Should().Throw<MessagingValidationException>().Which.Message.Should().NotContain("9434765918");
    }

    [Fact]
    public void Patient_values_are_masked_when_turned_into_text()
    {
        var nhs = NhsNumber.Parse("9434765919");
        var phone = PhoneNumber.FromE164("+447700900123");
        var email = EmailAddress.Parse("jane.doe@example.com");

        $"{nhs} {phone} {email}".Should().NotContain("9434765919").And.NotContain("7700900123").And.NotContain("jane.doe");
    }
}
