using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Messaging.Providers.Smtp.Tests;

/// <summary>R26: <c>AddSmtpEmail(name, …)</c> registers an organisation's own sender (and relay) on named options.</summary>
public sealed class SmtpNamedRegistrationTests
{
    private static IConfigurationSection Section(string name, Dictionary<string, string?> settings)
        => new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection($"Messaging:Providers:Smtp:{name}");

    private static ServiceProvider Build(Action<IPatientMessagingBuilder> register)
    {
        var collection = new ServiceCollection();
        collection.AddLogging();
        register(new TestBuilder(collection));
        return collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public void Each_name_is_its_own_provider_with_its_own_relay_and_sender_beside_the_default_one()
    {
        using var services = Build(b => b
            .AddSmtpEmail(o => { o.Host = "send.nhs.test"; o.FromAddress = "clinic@nhs.test"; })
            .AddSmtpEmail("riverside-smtp", Section("riverside", new()
            {
                ["Messaging:Providers:Smtp:riverside:Host"] = "smtp.riverside.test",
                ["Messaging:Providers:Smtp:riverside:FromAddress"] = "reception@riverside.test",
            }))
            .AddSmtpEmail("northshire-smtp", o => { o.Host = "send.nhs.test"; o.FromAddress = "northshire@nhs.test"; }));

        services.GetRequiredService<IStartupValidator>().Validate();
        services.GetServices<IEmailProvider>().Select(p => p.Name).Should().Equal("smtp", "riverside-smtp", "northshire-smtp");
        var monitor = services.GetRequiredService<IOptionsMonitor<SmtpEmailOptions>>();
        monitor.Get("riverside-smtp").Host.Should().Be("smtp.riverside.test");
        monitor.Get("riverside-smtp").FromAddress.Should().Be("reception@riverside.test");
        monitor.Get("northshire-smtp").FromAddress.Should().Be("northshire@nhs.test");
        services.GetRequiredService<IOptions<SmtpEmailOptions>>().Value.FromAddress.Should().Be("clinic@nhs.test", "the unnamed registration keeps the default options");
    }

    [Fact]
    public void A_bad_setting_of_a_named_registration_stops_start_up_naming_its_path()
    {
        using var services = Build(b => b.AddSmtpEmail("riverside-smtp", Section("riverside", new()
        {
            ["Messaging:Providers:Smtp:riverside:Host"] = "smtp.riverside.test",
            ["Messaging:Providers:Smtp:riverside:FromAddress"] = "not-an-address",
            ["Messaging:Providers:Smtp:riverside:UserName"] = "reception",
        })));

        var validate = () => services.GetRequiredService<IStartupValidator>().Validate();

        var message = validate.Should().Throw<OptionsValidationException>().Which.Message;
        message.Should().Contain("Messaging:Providers:Smtp:riverside:FromAddress must be an email address")
            .And.Contain("Messaging:Providers:Smtp:riverside:Password is required");
    }

    [Fact]
    public void A_name_that_cannot_be_a_provider_name_is_refused()
    {
        var register = () => Build(b => b.AddSmtpEmail("Riverside SMTP", o => o.Host = "x"));

        register.Should().Throw<ArgumentException>().WithParameterName("name");
    }

    private sealed class TestBuilder(IServiceCollection services) : IPatientMessagingBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
