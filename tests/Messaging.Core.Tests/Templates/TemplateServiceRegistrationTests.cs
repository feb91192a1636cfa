using Messaging.Templates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Messaging.Tests.Templates;

public sealed class TemplateServiceRegistrationTests
{
    private sealed class Builder : IPatientMessagingBuilder
    {
        public IServiceCollection Services { get; } = new ServiceCollection();
    }

    [Fact]
    public void A_host_placeholder_added_at_registration_can_be_used_by_templates()
    {
        var builder = new Builder();
        builder.AddTemplatePlaceholder("appointment.date", PlaceholderKind.Date, "Appointment date").AddTemplatePlaceholder("clinic.name", PlaceholderKind.Text);
        using var services = builder.Services.BuildServiceProvider();

        var engine = services.GetRequiredService<TemplateEngine>();
        var values = engine.CreateValues().Set("appointment.date", new NodaTime.LocalDate(2025, 3, 4)).Set("clinic.name", "Skin clinic");

        engine.Render("{{clinic.name}} on {{appointment.date:d MMM}}", values).Should().Be("Skin clinic on 4 Mar");
        services.GetRequiredService<TemplateEngine>().Should().BeSameAs(engine);
        engine.Placeholders.Should().BeSameAs(services.GetRequiredService<PlaceholderRegistry>());
    }

    [Fact]
    public void An_invalid_placeholder_name_is_refused_at_registration()
    {
        var act = () => new Builder().AddTemplatePlaceholder("clinic name", PlaceholderKind.Text);

        act.Should().Throw<ArgumentException>().WithParameterName("name");
    }

    [Fact]
    public void Options_that_clash_with_a_built_in_fail_validation_naming_the_setting()
    {
        var builder = new Builder();
        builder.AddTemplates(o =>
        {
            o.CacheCapacity = -1;
            o.Placeholders["patient.dateOfBirth"] = new CustomPlaceholderOptions { Kind = PlaceholderKind.Text };
        });
        using var services = builder.Services.BuildServiceProvider();

        var act = () => services.GetRequiredService<IOptions<TemplateOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().BeEquivalentTo(
            "Messaging:Templates:CacheCapacity must be 0 (no cache) or more; it is -1.",
            "Messaging:Templates:Placeholders:patient.dateOfBirth is not valid: Placeholder 'patient.dateOfBirth' is already registered as Date; it cannot be registered again as Text. (Parameter 'name')");
    }
}
