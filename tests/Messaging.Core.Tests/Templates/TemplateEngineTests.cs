using System.Collections.Concurrent;
using Messaging.Templates;
using NodaTime;
using static Messaging.Tests.Templates.Templates;

namespace Messaging.Tests.Templates;

public sealed class TemplateEngineTests
{
    [Fact]
    public void Compiling_the_same_text_again_returns_the_cached_instance()
    {
        var engine = Engine();

        var first = engine.Compile("Dear {{patient.firstName}}");
        var second = engine.Compile(new string("Dear {{patient.firstName}}".ToCharArray()));

        second.Should().BeSameAs(first);
    }

    [Fact]
    public void The_cache_drops_the_least_recently_used_template_when_full()
    {
        var engine = Engine(cacheCapacity: 2);
        var a = engine.Compile("A {{patient.firstName}}");
        var b = engine.Compile("B {{patient.firstName}}");
        engine.Compile("A {{patient.firstName}}"); // A is now more recent than B

        engine.Compile("C {{patient.firstName}}");

        engine.CachedCount.Should().Be(2);
        engine.Compile("A {{patient.firstName}}").Should().BeSameAs(a);
        engine.Compile("B {{patient.firstName}}").Should().NotBeSameAs(b);
    }

    [Fact]
    public void A_cache_capacity_of_zero_compiles_every_time()
    {
        var engine = Engine(cacheCapacity: 0);

        engine.Compile("Dear {{patient.firstName}}").Should().NotBeSameAs(engine.Compile("Dear {{patient.firstName}}"));
        engine.CachedCount.Should().Be(0);
    }

    [Fact]
    public void Concurrent_compiles_of_the_same_text_all_get_one_instance()
    {
        var engine = Engine();
        var seen = new ConcurrentBag<CompiledTemplate>();

        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ => seen.Add(engine.Compile("Dear {{patient.firstName}} at {{clinic.name}}")));

        seen.Distinct().Should().ContainSingle();
    }

    [Fact]
    public void One_compiled_template_renders_correctly_from_many_threads_at_once()
    {
        var engine = Engine();
        var template = engine.Compile("Dear {{patient.firstName}}, your appointment{{#clinic.name}} at {{clinic.name}}{{/clinic.name}} is on {{appointment.date:dddd d MMMM yyyy}}.");
        var failures = new ConcurrentBag<string>();

        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var date = new LocalDate(2025, 1, 1).PlusDays(i % 365);
            var values = engine.CreateValues().Set(BuiltInPlaceholders.PatientFirstName, $"Patient{i}").Set(AppointmentDate, date);
            if (i % 2 == 0)
            {
                values.Set(ClinicName, $"Clinic{i}");
            }

            var expected = $"Dear Patient{i}, your appointment{(i % 2 == 0 ? $" at Clinic{i}" : string.Empty)} is on {date.ToString("dddd d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture)}.";
            var actual = template.Render(values, i % 3 == 0 ? RenderMode.Html : RenderMode.Text);
            if (actual != expected)
            {
                failures.Add(actual);
            }
        });

        failures.Should().BeEmpty();
    }

    [Fact]
    public void A_placeholder_registered_after_values_were_created_can_still_be_set()
    {
        var engine = Engine();
        var values = engine.CreateValues().Set(BuiltInPlaceholders.PatientFirstName, "Jane");

        engine.Placeholders.Register("ward.name", PlaceholderKind.Text);
        values.Set("ward.name", "7B");

        engine.Render("{{patient.firstName}} on ward {{ward.name}}", values).Should().Be("Jane on ward 7B");
    }

    [Fact]
    public void A_template_compiled_before_more_placeholders_are_registered_still_renders()
    {
        var engine = Engine();
        var template = engine.Compile("Dear {{patient.firstName}}");

        engine.Placeholders.Register("ward.name", PlaceholderKind.Text);

        engine.Compile("Dear {{patient.firstName}}").Should().BeSameAs(template);
        template.Render(engine.CreateValues().Set(BuiltInPlaceholders.PatientFirstName, "Jane")).Should().Be("Dear Jane");
    }
}

public sealed class PlaceholderRegistryTests
{
    [Fact]
    public void A_new_registry_holds_the_built_in_placeholders_with_their_kinds()
    {
        var registry = new PlaceholderRegistry();

        registry.Definitions.Select(d => (d.Name, d.Kind, d.IsBuiltIn)).Should().Equal(
            (BuiltInPlaceholders.PatientFirstName, PlaceholderKind.Text, true),
            (BuiltInPlaceholders.PatientLastName, PlaceholderKind.Text, true),
            (BuiltInPlaceholders.PatientFullName, PlaceholderKind.Text, true),
            (BuiltInPlaceholders.PatientNhsNumber, PlaceholderKind.Text, true),
            (BuiltInPlaceholders.PatientDateOfBirth, PlaceholderKind.Date, true),
            (BuiltInPlaceholders.WorkspaceName, PlaceholderKind.Text, true),
            (BuiltInPlaceholders.OrganisationName, PlaceholderKind.Text, true),
            (BuiltInPlaceholders.StaffName, PlaceholderKind.Text, true));
    }

    [Fact]
    public void Registering_the_same_name_and_kind_again_returns_the_existing_definition()
    {
        var registry = new PlaceholderRegistry();
        var first = registry.Register("clinic.name", PlaceholderKind.Text);

        registry.Register("Clinic.Name", PlaceholderKind.Text).Should().BeSameAs(first);
        registry.Count.Should().Be(9);
    }

    [Fact]
    public void Registering_a_name_again_with_another_kind_is_refused()
    {
        var registry = new PlaceholderRegistry();

        var act = () => registry.Register(BuiltInPlaceholders.PatientDateOfBirth, PlaceholderKind.Text);

        act.Should().Throw<ArgumentException>().WithMessage("*'patient.dateOfBirth' is already registered as Date*");
    }

    [Theory]
    [InlineData("clinic name")]
    [InlineData(".clinic")]
    [InlineData("clinic.")]
    [InlineData("1clinic")]
    [InlineData("clinic:name")]
    public void A_name_that_is_not_a_dotted_identifier_cannot_be_registered(string name)
    {
        var act = () => new PlaceholderRegistry().Register(name, PlaceholderKind.Text);

        act.Should().Throw<ArgumentException>().WithParameterName("name");
    }
}

public sealed class TemplateValuesTests
{
    private readonly TemplateEngine _engine = Engine();

    [Fact]
    public void Setting_a_value_of_the_wrong_kind_is_refused_naming_both_kinds()
    {
        var act = () => _engine.CreateValues().Set(AppointmentDate, "next Tuesday");

        act.Should().Throw<ArgumentException>().WithMessage("Placeholder 'appointment.date' holds Date values, not Text.*");
    }

    [Fact]
    public void Setting_an_unregistered_placeholder_is_refused()
    {
        var act = () => _engine.CreateValues().Set("clinic.nmae", "Dermatology");

        act.Should().Throw<ArgumentException>().WithMessage("No placeholder named 'clinic.nmae' is registered*");
    }

    [Fact]
    public void Values_beyond_the_initial_capacity_are_all_kept_and_a_removal_keeps_the_others()
    {
        var at = new LocalDateTime(2025, 3, 4, 14, 30);
        var values = new TemplateValues(_engine.Placeholders, capacity: 1)
            .Set(BuiltInPlaceholders.PatientFirstName, "Jane")
            .Set(BuiltInPlaceholders.PatientLastName, "Doe")
            .Set(BuiltInPlaceholders.StaffName, "Dr Ng")
            .Set(BuiltInPlaceholders.WorkspaceName, "Derm")
            .Set(BuiltInPlaceholders.OrganisationName, "Trust")
            .Set(ClinicName, "Skin")
            .Set(AppointmentDate, Tuesday4March2025)
            .Set(AppointmentTime, at)
            .Set(InvoiceAmount, 12m)
            .Remove(BuiltInPlaceholders.StaffName);

        _engine.Render(
                "{{patient.firstName}} {{patient.lastName}} {{workspace.name}} {{organisation.name}} {{clinic.name}} {{appointment.date:d}} {{appointment.time:HH:mm}} {{invoice.amount}}{{^staff.name}} -{{/staff.name}}",
                values)
            .Should().Be("Jane Doe Derm Trust Skin 04/03/2025 14:30 12 -");
        values.Count.Should().Be(8);
    }

    [Fact]
    public void Values_created_from_a_compiled_template_fill_it()
    {
        var template = _engine.Compile("{{patient.firstName}} at {{clinic.name}}");

        template.Render(template.CreateValues().Set(BuiltInPlaceholders.PatientFirstName, "Jane").Set(ClinicName, "Skin")).Should().Be("Jane at Skin");
    }

    [Fact]
    public void Has_value_and_count_follow_sets_and_removals()
    {
        var values = _engine.CreateValues().Set(ClinicName, "Dermatology").Set(AppointmentDate, Tuesday4March2025);
        values.Set(ClinicName, "Dermatology 2").Remove(AppointmentDate).Set(BuiltInPlaceholders.StaffName, " ");

        values.HasValue(ClinicName).Should().BeTrue();
        values.HasValue(AppointmentDate).Should().BeFalse();
        values.HasValue(BuiltInPlaceholders.StaffName).Should().BeFalse();
        values.Count.Should().Be(1);
    }
}
