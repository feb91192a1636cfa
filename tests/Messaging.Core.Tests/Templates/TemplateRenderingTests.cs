using Messaging.Templates;
using NodaTime;
using static Messaging.Tests.Templates.Templates;

namespace Messaging.Tests.Templates;

public sealed class TemplateRenderingTests
{
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    private readonly TemplateEngine _engine = Engine();

    [Fact]
    public void Html_mode_encodes_every_value_but_not_the_template_markup()
    {
        var values = _engine.Jane().Set(ClinicName, "<b>St Mary's & \"Co\"</b>");

        _engine.Render("<p>See you at {{clinic.name}}</p>", values, RenderMode.Html)
            .Should().Be("<p>See you at &lt;b&gt;St Mary&#39;s &amp; &quot;Co&quot;&lt;/b&gt;</p>");
    }

    [Fact]
    public void Text_mode_inserts_values_exactly_as_given()
    {
        var values = _engine.Jane().Set(ClinicName, "<b>St Mary's & \"Co\"</b>");

        _engine.Render("See you at {{clinic.name}}", values, RenderMode.Text).Should().Be("See you at <b>St Mary's & \"Co\"</b>");
    }

    [Fact]
    public void Html_mode_encodes_a_quote_that_a_date_pattern_writes()
    {
        const string Template = @"{{appointment.date:d MMMM \'yy}}"; // NodaTime escapes a literal quote with a backslash

        _engine.Render(Template, _engine.Jane(), RenderMode.Text).Should().Be("4 March '25");
        _engine.Render(Template, _engine.Jane(), RenderMode.Html).Should().Be("4 March &#39;25");
    }

    [Fact]
    public void A_missing_required_value_fails_the_render_naming_the_placeholder_and_its_position()
    {
        var values = _engine.Jane().Remove(BuiltInPlaceholders.PatientFirstName);

        var act = () => _engine.Render("Dear {{patient.firstName}}, see you soon.", values);

        var error = act.Should().Throw<MessagingValidationException>().Which;
        error.ErrorCode.Should().Be(TemplateErrorCodes.ValueMissing);
        error.Field.Should().Be(BuiltInPlaceholders.PatientFirstName);
        error.Message.Should().Be("The template needs a value for 'patient.firstName' (line 1, column 8), but none was supplied; nothing was rendered.");
    }

    [Fact]
    public void Every_missing_value_is_named_once_and_no_supplied_value_appears_in_the_error()
    {
        var values = _engine.CreateValues().Set(ClinicName, "Secret Sexual Health Clinic");

        var act = () => _engine.Render("{{patient.firstName}} {{clinic.name}} {{appointment.date}} {{patient.firstName}}", values);

        var error = act.Should().Throw<MessagingValidationException>().Which;
        error.Message.Should().Contain("'patient.firstName' (line 1, column 3), 'appointment.date' (line 1, column 41)")
            .And.NotContain("Secret").And.NotContain("Sexual");
        error.Field.Should().Be(BuiltInPlaceholders.PatientFirstName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void A_blank_text_value_counts_as_missing(string? blank)
    {
        var values = _engine.Jane().Set(BuiltInPlaceholders.PatientFirstName, blank);

        var act = () => _engine.Render("Dear {{patient.firstName}}", values);

        act.Should().Throw<MessagingValidationException>().Which.ErrorCode.Should().Be(TemplateErrorCodes.ValueMissing);
    }

    [Fact]
    public void A_placeholder_inside_a_skipped_section_is_not_required()
    {
        var values = _engine.Jane().Remove(ClinicName);

        _engine.Render("Hello{{#clinic.name}} from {{clinic.name}} on {{appointment.time}}{{/clinic.name}}.", values).Should().Be("Hello.");
    }

    [Fact]
    public void A_placeholder_inside_a_kept_section_is_required()
    {
        var act = () => _engine.Render("Hello{{#clinic.name}} on {{appointment.time}}{{/clinic.name}}.", _engine.Jane());

        act.Should().Throw<MessagingValidationException>().Which.Field.Should().Be(AppointmentTime);
    }

    [Fact]
    public void After_a_failed_render_the_next_render_on_the_thread_starts_clean()
    {
        var template = _engine.Compile("Dear {{patient.firstName}}, {{clinic.name}}");
        var act = () => template.Render(_engine.CreateValues().Set(BuiltInPlaceholders.PatientFirstName, "Jane"));
        act.Should().Throw<MessagingValidationException>();

        template.Render(_engine.Jane()).Should().Be("Dear Jane, Dermatology Clinic");
    }

    [Theory]
    [InlineData(2025, 3, 30, 0, 30, "Sunday 30 March 00:30")] // GMT: the clocks go forward at 01:00 UTC
    [InlineData(2025, 3, 30, 1, 30, "Sunday 30 March 02:30")] // BST from 01:00 UTC
    [InlineData(2025, 10, 26, 0, 30, "Sunday 26 October 01:30")] // still BST
    [InlineData(2025, 10, 26, 1, 30, "Sunday 26 October 01:30")] // GMT again: 01:30 happens twice
    public void An_instant_renders_in_Europe_London_local_time_across_BST(int year, int month, int day, int hour, int minute, string expected)
    {
        var values = _engine.CreateValues().Set(AppointmentTime, Instant.FromUtc(year, month, day, hour, minute));

        _engine.Render("{{appointment.time:dddd d MMMM HH:mm}}", values, timeZone: London).Should().Be(expected);
    }

    [Fact]
    public void Without_a_time_zone_an_instant_renders_in_Europe_London()
    {
        var values = _engine.CreateValues().Set(AppointmentTime, Instant.FromUtc(2025, 7, 1, 9, 0));

        _engine.Render("{{appointment.time:HH:mm}}", values).Should().Be("10:00");
    }

    [Fact]
    public void An_instant_renders_in_the_time_zone_passed_to_the_render()
    {
        var values = _engine.CreateValues().Set(AppointmentTime, Instant.FromUtc(2025, 7, 1, 9, 0));

        _engine.Render("{{appointment.time:HH:mm}}", values, timeZone: NewYork).Should().Be("05:00");
    }

    [Fact]
    public void A_zoned_date_time_renders_in_its_own_zone_whatever_the_render_zone()
    {
        var inNewYork = Instant.FromUtc(2025, 7, 1, 9, 0).InZone(NewYork);
        var values = _engine.CreateValues().Set(AppointmentTime, inNewYork);

        _engine.Render("{{appointment.time:HH:mm}}", values, timeZone: London).Should().Be("05:00");
    }

    [Fact]
    public void A_local_date_time_renders_as_given()
    {
        var values = _engine.CreateValues().Set(AppointmentTime, new LocalDateTime(2025, 3, 4, 14, 30));

        _engine.Render("{{appointment.time:d MMMM 'at' h:mmtt}}", values, timeZone: NewYork).Should().Be("4 March at 2:30pm");
    }

    [Fact]
    public void A_date_time_without_a_format_renders_date_and_24_hour_time()
    {
        var values = _engine.CreateValues().Set(AppointmentTime, new LocalDateTime(2025, 3, 4, 14, 30));

        _engine.Render("{{appointment.time}}", values).Should().Be("4 March 2025 14:30");
    }

    [Theory]
    [InlineData("{{invoice.amount}}", "1234.5")]
    [InlineData("{{invoice.amount:N2}}", "1,234.50")]
    [InlineData("{{invoice.amount:C}}", "£1,234.50")]
    [InlineData("{{invoice.amount:0}}", "1235")]
    public void A_number_renders_with_the_dotnet_format_in_UK_conventions(string template, string expected)
    {
        var values = _engine.CreateValues().Set(InvoiceAmount, 1234.5m);

        _engine.Render(template, values).Should().Be(expected);
    }

    [Fact]
    public void The_patient_built_ins_are_filled_from_the_patient_record()
    {
        var patient = new Patient
        {
            OrganisationId = new OrganisationId("trust"),
            Id = new PatientId("p-1"),
            NhsNumber = NhsNumber.Parse("9434765919"),
            DateOfBirth = new LocalDate(1970, 3, 14),
            GivenName = "Jane",
            FamilyName = "O'Neill",
            UpdatedAt = Instant.FromUtc(2025, 1, 1, 0, 0),
        };
        var values = _engine.CreateValues().SetPatient(patient);

        _engine.Render("{{patient.fullName}} ({{patient.lastName}}, {{patient.firstName}}), NHS {{patient.nhsNumber}}, born {{patient.dateOfBirth:d}}", values)
            .Should().Be("Jane O'Neill (O'Neill, Jane), NHS 943 476 5919, born 14/03/1970");
    }

    [Fact]
    public void The_workspace_organisation_and_staff_built_ins_are_filled_from_their_records()
    {
        var at = Instant.FromUtc(2025, 1, 1, 0, 0);
        var values = _engine.CreateValues()
            .SetWorkspace(new Workspace(new WorkspaceId("derm"), new OrganisationId("trust"), "Dermatology", WorkspaceKind.Team, true, at))
            .SetOrganisation(new Organisation(new OrganisationId("trust"), "Northshire NHS Trust", new WorkspaceId("trust"), at))
            .SetStaff(new WorkspaceMember(new WorkspaceId("derm"), new StaffId("alice"), EmailAddress.Parse("alice@example.nhs.uk"), "Dr Alice Ng", WorkspaceRole.Member, at));

        _engine.Render("{{staff.name}}, {{workspace.name}}, {{organisation.name}}", values).Should().Be("Dr Alice Ng, Dermatology, Northshire NHS Trust");
    }

    [Fact]
    public void Values_from_another_registry_are_refused()
    {
        var template = _engine.Compile("Dear {{patient.firstName}}");
        var foreign = new TemplateValues(new PlaceholderRegistry()).Set(BuiltInPlaceholders.PatientFirstName, "Jane");

        var act = () => template.Render(foreign);

        act.Should().Throw<ArgumentException>().WithParameterName("values");
    }

    [Fact]
    public void The_values_do_not_print_patient_data()
    {
        _engine.Jane().ToString().Should().Be("TemplateValues { Count = 4 }");
    }
}
