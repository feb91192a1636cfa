using Messaging.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Messaging.Fhir.Tests;

/// <summary><see cref="FhirExportOptions"/> bind from configuration and are validated, naming the setting's full path.</summary>
public sealed class FhirExportOptionsTests
{
    private static IOptions<FhirExportOptions> Options(IDictionary<string, string?> settings, out ServiceProvider provider)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddPatientMessaging(o =>
        {
            o.PublicBaseUrl = new Uri("https://ehr.example.test/m/");
            o.LinkKey = TestSecrets.LinkKey;
        }).AddFhirExport(configuration.GetSection("Messaging:Fhir"));
        provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<FhirExportOptions>>();
    }

    [Fact]
    public void Every_setting_binds_from_configuration()
    {
        var options = Options(
            new Dictionary<string, string?>
            {
                ["Messaging:Fhir:PatientIdentifierSystem"] = "https://ehr.example.test/Id/patient",
                ["Messaging:Fhir:StaffIdentifierSystem"] = "https://ehr.example.test/Id/staff",
                ["Messaging:Fhir:AttachmentBaseUrl"] = "https://ehr.example.test/attachments/",
            },
            out var provider);
        using (provider)
        {
            options.Value.Should().BeEquivalentTo(new FhirExportOptions
            {
                PatientIdentifierSystem = new Uri("https://ehr.example.test/Id/patient"),
                StaffIdentifierSystem = new Uri("https://ehr.example.test/Id/staff"),
                AttachmentBaseUrl = new Uri("https://ehr.example.test/attachments/"),
            });
        }
    }

    [Theory]
    [InlineData("PatientIdentifierSystem", "/Id/patient", "must be an absolute URI")]
    [InlineData("StaffIdentifierSystem", "staff", "must be an absolute URI")]
    [InlineData("AttachmentBaseUrl", "https://ehr.example.test/attachments", "must end with '/'")]
    public void A_bad_setting_names_its_path(string key, string value, string expected)
    {
        var options = Options(new Dictionary<string, string?> { ["Messaging:Fhir:" + key] = value }, out var provider);
        using (provider)
        {
            FluentActions.Invoking(() => options.Value).Should().Throw<OptionsValidationException>()
                .Which.Failures.Should().ContainSingle().Which.Should().StartWith($"Messaging:Fhir:{key} {expected}");
        }
    }

    [Fact]
    public void Options_set_in_code_are_validated_under_the_conventional_section()
    {
        var services = new ServiceCollection();
        services.AddPatientMessaging().AddFhirExport(o => o.AttachmentBaseUrl = new Uri("attachments/", UriKind.Relative));
        using var provider = services.BuildServiceProvider();
        FluentActions.Invoking(() => provider.GetRequiredService<IOptions<FhirExportOptions>>().Value).Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().ContainSingle().Which.Should().StartWith("Messaging:Fhir:AttachmentBaseUrl must be an absolute URI");
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        var services = new ServiceCollection();
        services.AddPatientMessaging().AddFhirExport();
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IOptions<FhirExportOptions>>().Value.AttachmentBaseUrl.Should().BeNull();
    }
}
