using Messaging.Templates;
using static Messaging.Tests.Templates.Templates;

namespace Messaging.Tests.Templates;

/// <summary>Each parser error, with the exact line, column and offset an editor would put the cursor on.</summary>
public sealed class TemplateParseErrorTests
{
    private readonly TemplateEngine _engine = Engine();

    private TemplateParseException ErrorOf(string template)
    {
        var act = () => _engine.Compile(template);
        return act.Should().Throw<TemplateParseException>().Which;
    }

    [Fact]
    public void An_unknown_placeholder_is_reported_at_its_name()
    {
        var error = ErrorOf("Dear {{patient.fristName}},");

        error.ErrorCode.Should().Be(TemplateErrorCodes.UnknownPlaceholder);
        (error.Line, error.Column, error.Offset).Should().Be((1, 8, 7));
        error.Placeholder.Should().Be("patient.fristName");
        error.Message.Should().Be("Template error at line 1, column 8: Unknown placeholder 'patient.fristName'.");
    }

    [Fact]
    public void An_unknown_placeholder_on_a_later_line_is_reported_with_that_line_and_column()
    {
        var error = ErrorOf("Hello\nThere\n  {{ clinic.nmae }}");

        error.ErrorCode.Should().Be(TemplateErrorCodes.UnknownPlaceholder);
        (error.Line, error.Column, error.Offset).Should().Be((3, 6, 17));
    }

    [Fact]
    public void A_carriage_return_before_the_line_feed_does_not_start_a_line()
    {
        var error = ErrorOf("Hello\r\n{{clinic.nmae}}");

        (error.Line, error.Column, error.Offset).Should().Be((2, 3, 9));
    }

    [Fact]
    public void A_tag_that_is_never_closed_is_reported_at_its_opening_braces()
    {
        var error = ErrorOf("Dear {{patient.firstName, see you soon");

        error.ErrorCode.Should().Be(TemplateErrorCodes.UnclosedTag);
        (error.Line, error.Column, error.Offset).Should().Be((1, 6, 5));
        error.Message.Should().Contain("never closed with '}}'");
    }

    [Fact]
    public void A_tag_left_open_before_the_next_tag_is_reported_as_unclosed_not_as_a_bad_name()
    {
        var error = ErrorOf("Dear {{patient.firstName see {{clinic.name}}");

        error.ErrorCode.Should().Be(TemplateErrorCodes.UnclosedTag);
        (error.Line, error.Column, error.Offset).Should().Be((1, 6, 5));
    }

    [Fact]
    public void A_section_that_is_never_closed_is_reported_at_its_opening_tag()
    {
        var error = ErrorOf("Hi\n{{#clinic.name}}at {{clinic.name}}");

        error.ErrorCode.Should().Be(TemplateErrorCodes.UnclosedSection);
        (error.Line, error.Column, error.Offset).Should().Be((2, 1, 3));
        error.Placeholder.Should().Be(ClinicName);
        error.Message.Should().Contain("'{{/clinic.name}}'");
    }

    [Fact]
    public void The_innermost_unclosed_section_is_the_one_reported()
    {
        var error = ErrorOf("{{#clinic.name}}{{/clinic.name}}{{#clinic.name}}{{^appointment.date}}x");

        error.ErrorCode.Should().Be(TemplateErrorCodes.UnclosedSection);
        error.Placeholder.Should().Be(AppointmentDate);
        (error.Line, error.Column, error.Offset).Should().Be((1, 49, 48));
    }

    [Fact]
    public void Closing_an_outer_section_before_the_inner_one_is_a_mismatch_naming_the_open_section()
    {
        var error = ErrorOf("{{#clinic.name}}{{#appointment.date}}x{{/clinic.name}}{{/appointment.date}}");

        error.ErrorCode.Should().Be(TemplateErrorCodes.MismatchedSection);
        (error.Line, error.Column, error.Offset).Should().Be((1, 39, 38));
        error.Placeholder.Should().Be(ClinicName);
        error.Message.Should().Contain("'appointment.date' (opened at line 1, column 17)");
    }

    [Fact]
    public void Closing_a_section_that_was_never_opened_is_a_mismatch()
    {
        var error = ErrorOf("Hello\n  {{/clinic.name}}");

        error.ErrorCode.Should().Be(TemplateErrorCodes.MismatchedSection);
        (error.Line, error.Column, error.Offset).Should().Be((2, 3, 8));
    }

    [Fact]
    public void A_time_pattern_on_a_date_placeholder_is_an_invalid_format_reported_at_the_format()
    {
        var error = ErrorOf("{{appointment.date:HH:mm}}");

        error.ErrorCode.Should().Be(TemplateErrorCodes.InvalidFormat);
        (error.Line, error.Column, error.Offset).Should().Be((1, 20, 19));
        error.Placeholder.Should().Be(AppointmentDate);
        error.Message.Should().Contain("'HH:mm' is not a valid date pattern for 'appointment.date'");
    }

    [Fact]
    public void A_pattern_with_an_unquoted_letter_is_an_invalid_format()
    {
        var error = ErrorOf("At {{appointment.time: HH:mm at dd/MM}}");

        error.ErrorCode.Should().Be(TemplateErrorCodes.InvalidFormat);
        (error.Line, error.Column, error.Offset).Should().Be((1, 24, 23));
    }

    [Fact]
    public void A_format_on_a_text_placeholder_is_an_invalid_format()
    {
        var error = ErrorOf("Dear {{patient.firstName:dd}}");

        error.ErrorCode.Should().Be(TemplateErrorCodes.InvalidFormat);
        (error.Line, error.Column, error.Offset).Should().Be((1, 26, 25));
        error.Message.Should().Contain("'patient.firstName' is text and takes no format");
    }

    [Fact]
    public void An_empty_format_after_the_colon_is_an_invalid_format_reported_at_the_colon()
    {
        var error = ErrorOf("{{appointment.date: }}");

        error.ErrorCode.Should().Be(TemplateErrorCodes.InvalidFormat);
        (error.Line, error.Column, error.Offset).Should().Be((1, 19, 18));
    }

    [Fact]
    public void A_format_on_a_section_is_an_invalid_format()
    {
        var error = ErrorOf("{{#appointment.date:d}}x{{/appointment.date}}");

        error.ErrorCode.Should().Be(TemplateErrorCodes.InvalidFormat);
        (error.Line, error.Column, error.Offset).Should().Be((1, 21, 20));
    }

    [Fact]
    public void A_numeric_format_that_dotnet_rejects_is_an_invalid_format()
    {
        var error = ErrorOf("Due: {{invoice.amount:X}}");

        error.ErrorCode.Should().Be(TemplateErrorCodes.InvalidFormat);
        (error.Line, error.Column, error.Offset).Should().Be((1, 23, 22));
    }

    [Fact]
    public void An_empty_tag_is_invalid_and_reported_at_its_braces()
    {
        var error = ErrorOf("Dear {{  }}");

        error.ErrorCode.Should().Be(TemplateErrorCodes.InvalidTag);
        (error.Line, error.Column, error.Offset).Should().Be((1, 6, 5));
    }

    [Theory]
    [InlineData("{{ patient first }}", 3)]
    [InlineData("{{patient..firstName}}", 2)]
    [InlineData("{{#1clinic}}", 3)]
    [InlineData("{{{patient.firstName}}}", 2)]
    public void A_name_that_is_not_a_dotted_identifier_is_an_invalid_tag_reported_at_the_name(string template, int offset)
    {
        var error = ErrorOf(template);

        error.ErrorCode.Should().Be(TemplateErrorCodes.InvalidTag);
        (error.Line, error.Column, error.Offset).Should().Be((1, offset + 1, offset));
    }

    [Fact]
    public void A_parse_error_is_a_messaging_exception_that_hosts_can_switch_on()
    {
        ErrorOf("{{nope}}").Should().BeAssignableTo<MessagingException>();
    }

    [Fact]
    public void A_failed_compile_is_not_cached_so_registering_the_placeholder_later_makes_it_valid()
    {
        ErrorOf("Ward {{ward.name}}");

        _engine.Placeholders.Register("ward.name", PlaceholderKind.Text);

        _engine.Compile("Ward {{ward.name}}").Render(_engine.CreateValues().Set("ward.name", "7B")).Should().Be("Ward 7B");
    }
}
