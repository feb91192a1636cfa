using Messaging.Templates;
using static Messaging.Tests.Templates.Templates;

namespace Messaging.Tests.Templates;

public sealed class TemplateSyntaxTests
{
    private readonly TemplateEngine _engine = Engine();

    private string Render(string template) => _engine.Compile(template).Render(_engine.Jane());

    [Fact]
    public void Text_without_tags_renders_unchanged()
    {
        Render("Your results are ready. Please call the surgery.").Should().Be("Your results are ready. Please call the surgery.");
    }

    [Fact]
    public void An_empty_template_renders_as_empty()
    {
        Render(string.Empty).Should().BeEmpty();
    }

    [Fact]
    public void A_placeholder_is_replaced_by_its_value()
    {
        Render("Dear {{patient.firstName}}, see you at {{clinic.name}}.").Should().Be("Dear Jane, see you at Dermatology Clinic.");
    }

    [Fact]
    public void White_space_inside_the_braces_is_ignored()
    {
        Render("Dear {{ patient.firstName }},{{#  clinic.name }} at {{\tclinic.name\t}}{{/ clinic.name }}.")
            .Should().Be("Dear Jane, at Dermatology Clinic.");
    }

    [Fact]
    public void Placeholder_names_match_ignoring_case()
    {
        Render("Dear {{Patient.FirstName}}").Should().Be("Dear Jane");
    }

    [Fact]
    public void A_date_is_formatted_with_the_NodaTime_pattern_after_the_colon()
    {
        Render("on {{appointment.date:dddd d MMMM yyyy}}").Should().Be("on Tuesday 4 March 2025");
    }

    [Fact]
    public void A_format_with_white_space_around_it_is_trimmed()
    {
        Render("on {{ appointment.date : d MMM }}!").Should().Be("on 4 Mar!");
    }

    [Fact]
    public void A_date_without_a_format_renders_as_day_month_name_and_year()
    {
        Render("on {{appointment.date}}").Should().Be("on 4 March 2025");
    }

    [Fact]
    public void The_standard_short_date_pattern_is_day_first_as_in_the_UK()
    {
        Render("{{appointment.date:d}}").Should().Be("04/03/2025");
    }

    [Fact]
    public void A_literal_in_a_date_pattern_is_kept()
    {
        Render("{{appointment.date:dddd 'the' d MMMM}}").Should().Be("Tuesday the 4 March");
    }

    [Fact]
    public void An_optional_section_is_kept_when_its_value_is_present()
    {
        Render("See you{{#clinic.name}} at {{clinic.name}}{{/clinic.name}}.").Should().Be("See you at Dermatology Clinic.");
    }

    [Fact]
    public void An_optional_section_vanishes_when_its_value_is_absent()
    {
        var values = _engine.Jane().Remove(ClinicName);

        _engine.Compile("See you{{#clinic.name}} at {{clinic.name}}{{/clinic.name}}.").Render(values).Should().Be("See you.");
    }

    [Fact]
    public void An_inverted_section_renders_only_when_the_value_is_absent()
    {
        var template = _engine.Compile("See you at {{#clinic.name}}{{clinic.name}}{{/clinic.name}}{{^clinic.name}}the surgery{{/clinic.name}}.");

        template.Render(_engine.Jane()).Should().Be("See you at Dermatology Clinic.");
        template.Render(_engine.Jane().Remove(ClinicName)).Should().Be("See you at the surgery.");
    }

    [Fact]
    public void Sections_nest()
    {
        var template = _engine.Compile("A{{#clinic.name}}B{{#appointment.time}}C{{/appointment.time}}D{{/clinic.name}}E");

        template.Render(_engine.Jane()).Should().Be("ABDE");
        template.Render(_engine.Jane().Set(AppointmentTime, NodaTime.Instant.FromUtc(2025, 3, 4, 9, 0))).Should().Be("ABCDE");
        template.Render(_engine.Jane().Remove(ClinicName)).Should().Be("AE");
    }

    [Fact]
    public void A_backslash_before_double_braces_writes_them_literally()
    {
        Render(@"Type \{{patient.firstName}} to insert the name, {{patient.firstName}}.")
            .Should().Be("Type {{patient.firstName}} to insert the name, Jane.");
    }

    [Fact]
    public void Backslashes_and_closing_braces_outside_tags_are_ordinary_text()
    {
        Render(@"C:\letters }} {x} \n {{patient.firstName}}").Should().Be(@"C:\letters }} {x} \n Jane");
    }

    [Fact]
    public void A_single_brace_after_a_tag_is_text()
    {
        Render("{{patient.firstName}}}").Should().Be("Jane}");
    }

    [Fact]
    public void The_compiled_template_lists_each_placeholder_once_in_order_of_first_use()
    {
        var template = _engine.Compile("{{clinic.name}} {{patient.firstName}} {{#clinic.name}}{{clinic.name}}{{/clinic.name}} {{appointment.date:d}}");

        template.Placeholders.Select(p => p.Name).Should().Equal(ClinicName, BuiltInPlaceholders.PatientFirstName, AppointmentDate);
    }

    [Fact]
    public void The_compiled_template_keeps_its_text()
    {
        _engine.Compile("Dear {{patient.firstName}}").Text.Should().Be("Dear {{patient.firstName}}");
    }
}
