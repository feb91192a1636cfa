using Messaging.Tests.Support;
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
    public async Task AddPatientMessaging_alone_brings_the_engine_and_template_services_and_placeholders_chained_on_it_are_checked_at_save()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<NodaTime.IClock>(new NodaTime.Testing.FakeClock(NodaTime.Instant.FromUtc(2026, 11, 23, 9, 0)));
        services.AddPatientMessaging(o =>
        {
            o.PublicBaseUrl = new Uri("https://ehr.example.nhs.uk/m/");
            o.LinkKey = TestSecrets.LinkKey;
        })
            .AddInMemoryStore()
            .AddTemplatePlaceholder("clinic.name", PlaceholderKind.Text);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var workspaces = provider.GetRequiredService<IWorkspaceService>();
        var owner = new StaffId("alice");
        await workspaces.CreateOrganisationAsync(new CreateOrganisationRequest
        {
            OrganisationId = new OrganisationId("trust"),
            Name = "Trust",
            DefaultWorkspaceId = new WorkspaceId("trust-default"),
            FirstAdmin = new NewMember(owner, "alice@trust.nhs.uk", "Alice"),
        });
        var templates = provider.GetRequiredService<ITemplateService>();

        var saved = await templates.CreateAsync(owner, new CreateTemplateRequest { WorkspaceId = new WorkspaceId("trust-default"), Name = "Clinic", Body = "See you at {{clinic.name}}" });
        var unknown = () => templates.CreateAsync(owner, new CreateTemplateRequest { WorkspaceId = new WorkspaceId("trust-default"), Name = "Ward", Body = "See you on {{ward.name}}" });

        saved.Version.Should().Be(1);
        (await unknown.Should().ThrowAsync<TemplateParseException>()).Which.ErrorCode.Should().Be(TemplateErrorCodes.UnknownPlaceholder);
        var hostValues = provider.GetRequiredService<ITemplateMessageService>().CreateValues();
        hostValues.Set("clinic.name", "Skin clinic").HasValue("clinic.name").Should().BeTrue("hosts fill their registered placeholders through the service");
        var unregistered = () => hostValues.Set("ward.name", "Ward 4");
        unregistered.Should().Throw<ArgumentException>();
        provider.GetRequiredService<TemplateEngine>().Placeholders.TryGet("clinic.name", out _).Should().BeTrue();
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
