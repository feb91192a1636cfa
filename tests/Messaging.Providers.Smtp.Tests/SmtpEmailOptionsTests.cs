using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Messaging.Providers.Smtp.Tests;

public sealed class SmtpEmailOptionsTests
{
    private static SmtpEmailOptions Valid() => new() { Host = "send.nhs.test", FromAddress = "clinic@nhs.test" };

    private static IReadOnlyList<string> Failures(SmtpEmailOptions options, string path = SmtpEmailOptions.SectionName)
        => new SmtpEmailOptionsValidator(path).Validate(null, options).Failures?.ToList() ?? [];

    [Fact]
    public void Valid_minimal_options_pass()
        => Failures(Valid()).Should().BeEmpty();

    [Fact]
    public void Missing_host_and_sender_are_named_by_their_configuration_keys()
    {
        var failures = Failures(new SmtpEmailOptions());

        failures.Should().Contain(f => f.StartsWith("Messaging:Smtp:Host is required", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("Messaging:Smtp:FromAddress is required", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(SmtpTlsMode.None, 25)]
    [InlineData(SmtpTlsMode.StartTls, 587)]
    [InlineData(SmtpTlsMode.ImplicitTls, 465)]
    public void Port_defaults_to_the_usual_one_for_the_tls_mode(SmtpTlsMode mode, int port)
        => new SmtpEmailOptions { TlsMode = mode }.EffectivePort.Should().Be(port);

    [Fact]
    public void Explicit_port_wins_over_the_default()
        => new SmtpEmailOptions { TlsMode = SmtpTlsMode.ImplicitTls, Port = 2465 }.EffectivePort.Should().Be(2465);

    [Fact]
    public void Default_tls_mode_is_starttls()
        => new SmtpEmailOptions().TlsMode.Should().Be(SmtpTlsMode.StartTls);

    [Fact]
    public void User_name_without_password_is_refused_and_the_password_is_never_echoed()
    {
        var noPassword = Valid();
        noPassword.UserName = "clinic";
        Failures(noPassword).Should().ContainSingle().Which.Should().Contain("Messaging:Smtp:Password is required");

        var noUser = Valid();
        noUser.Password = "Sup3r-s3cret!";
        var failures = Failures(noUser);
        failures.Should().ContainSingle().Which.Should().Contain("Messaging:Smtp:UserName is required");
        failures.Should().NotContain(f => f.Contains("Sup3r-s3cret!", StringComparison.Ordinal));
    }

    [Fact]
    public void Password_in_clear_to_a_remote_relay_is_refused_but_allowed_to_a_loopback_one()
    {
        var remote = Valid();
        remote.TlsMode = SmtpTlsMode.None;
        remote.UserName = "clinic";
        remote.Password = "Sup3r-s3cret!";
        Failures(remote).Should().ContainSingle().Which.Should().Contain("Messaging:Smtp:TlsMode is None");

        remote.Host = "127.0.0.1";
        Failures(remote).Should().BeEmpty();
    }

    [Fact]
    public void Out_of_range_numbers_and_malformed_values_are_each_reported()
    {
        var options = Valid();
        options.Host = "not a host";
        options.Port = 70000;
        options.FromAddress = "clinic-at-nhs";
        options.FromName = "Clinic\r\nBcc: x@y.test";
        options.Timeout = TimeSpan.Zero;
        options.MaxConnections = 0;
        options.IdleCheckAfter = TimeSpan.FromSeconds(-1);
        options.TlsMode = (SmtpTlsMode)7;

        var failures = Failures(options);

        failures.Should().HaveCount(8);
        failures.Should().Contain(f => f.StartsWith("Messaging:Smtp:Host must be", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("Messaging:Smtp:Port must be", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("Messaging:Smtp:FromAddress must be", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("Messaging:Smtp:FromName must be", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("Messaging:Smtp:Timeout must be", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("Messaging:Smtp:MaxConnections must be", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("Messaging:Smtp:IdleCheckAfter must be", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("Messaging:Smtp:TlsMode must be", StringComparison.Ordinal));
    }

    [Fact]
    public void Configuration_section_binds_every_setting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Email:Relay:Host"] = "send.nhs.test",
            ["Email:Relay:Port"] = "2587",
            ["Email:Relay:TlsMode"] = "ImplicitTls",
            ["Email:Relay:UserName"] = "clinic",
            ["Email:Relay:Password"] = "pw",
            ["Email:Relay:FromAddress"] = "clinic@nhs.test",
            ["Email:Relay:FromName"] = "Riverside Clinic",
            ["Email:Relay:LocalDomain"] = "ehr.riverside.test",
            ["Email:Relay:Timeout"] = "00:00:12",
            ["Email:Relay:MaxConnections"] = "7",
            ["Email:Relay:IdleCheckAfter"] = "00:01:00",
            ["Email:Relay:AllowInvalidCertificates"] = "true",
        }).Build();
        using var services = Build(b => b.AddSmtpEmail(configuration.GetSection("Email:Relay")));

        var o = services.GetRequiredService<IOptions<SmtpEmailOptions>>().Value;

        o.Should().BeEquivalentTo(new SmtpEmailOptions
        {
            Host = "send.nhs.test", Port = 2587, TlsMode = SmtpTlsMode.ImplicitTls, UserName = "clinic", Password = "pw",
            FromAddress = "clinic@nhs.test", FromName = "Riverside Clinic", LocalDomain = "ehr.riverside.test",
            Timeout = TimeSpan.FromSeconds(12), MaxConnections = 7, IdleCheckAfter = TimeSpan.FromMinutes(1), AllowInvalidCertificates = true,
        });
    }

    [Fact]
    public void Start_up_validation_names_keys_under_the_section_that_was_bound()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Email:Relay:FromAddress"] = "clinic@nhs.test",
        }).Build();
        using var services = Build(b => b.AddSmtpEmail(configuration.GetSection("Email:Relay")));

        var start = () => services.GetRequiredService<IStartupValidator>().Validate();

        start.Should().Throw<OptionsValidationException>().WithMessage("*Email:Relay:Host is required*");
    }

    [Fact]
    public void Parameterless_registration_binds_the_conventional_section_of_the_host_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Messaging:Smtp:Host"] = "send.nhs.test",
            ["Messaging:Smtp:FromAddress"] = "clinic@nhs.test",
        }).Build();
        var collection = new ServiceCollection();
        collection.AddSingleton<IConfiguration>(configuration);
        new TestBuilder(collection).AddSmtpEmail();
        using var services = collection.BuildServiceProvider();

        services.GetRequiredService<IStartupValidator>().Validate();
        services.GetRequiredService<IOptions<SmtpEmailOptions>>().Value.Host.Should().Be("send.nhs.test");
    }

    [Fact]
    public void Parameterless_registration_without_configuration_fails_at_start_naming_the_conventional_keys()
    {
        using var services = Build(b => b.AddSmtpEmail());

        var start = () => services.GetRequiredService<IStartupValidator>().Validate();

        start.Should().Throw<OptionsValidationException>().WithMessage("*Messaging:Smtp:Host is required*");
    }

    [Fact]
    public void Registration_adds_one_smtp_email_provider_even_when_called_twice()
    {
        using var services = Build(b => b
            .AddSmtpEmail(o => { o.Host = "send.nhs.test"; o.FromAddress = "clinic@nhs.test"; })
            .AddSmtpEmail(o => o.FromName = "Riverside Clinic"));

        var providers = services.GetServices<IEmailProvider>().ToList();

        providers.Should().ContainSingle().Which.Name.Should().Be("smtp");
        services.GetRequiredService<IOptions<SmtpEmailOptions>>().Value.FromName.Should().Be("Riverside Clinic");
        services.GetServices<IValidateOptions<SmtpEmailOptions>>().Should().ContainSingle();
    }

    private static ServiceProvider Build(Action<IPatientMessagingBuilder> register)
    {
        var collection = new ServiceCollection();
        register(new TestBuilder(collection));
        return collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private sealed class TestBuilder(IServiceCollection services) : IPatientMessagingBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
