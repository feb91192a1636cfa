using Messaging.Providers.Twilio.Tests.Support;
using Messaging.Providers.Twilio.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;

namespace Messaging.Providers.Twilio.Tests.Configuration;

/// <summary><c>AddTwilioSms</c> in its three forms, next to other SMS providers.</summary>
public sealed class RegistrationTests
{
    private static ServiceCollection Services()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2025, 1, 1, 0, 0)));
        return services;
    }

    [Fact]
    public void Twilio_is_added_beside_other_sms_providers_once_even_when_registered_twice()
    {
        var services = Services();
        services.AddSingleton<ISmsProvider, OtherProvider>();
        var builder = new TwilioTestHost.Builder(services);
        builder.AddTwilioSms(o => o.AccountSid = TwilioTestHost.AccountSid)
               .AddTwilioSms(o => o.AuthToken = TwilioTestHost.AuthToken);
        using var provider = services.BuildServiceProvider();

        provider.GetServices<ISmsProvider>().Select(p => p.Name).Should().Equal("other", "twilio");
    }

    [Fact]
    public void The_configuration_section_is_bound()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Messaging:Twilio:AccountSid"] = TwilioTestHost.AccountSid,
            ["Messaging:Twilio:AuthToken"] = TwilioTestHost.AuthToken,
            ["Messaging:Twilio:MessagingServiceSid"] = "MG0123456789abcdef0123456789abcdef",
            ["Messaging:Twilio:BaseUrl"] = "http://127.0.0.1:4010",
            ["Messaging:Twilio:Timeout"] = "00:00:07",
            ["Messaging:Twilio:StatusCallbackUrl"] = "https://ehr.example.nhs.uk/m/twilio/status",
        }).Build();
        var services = Services();
        new TwilioTestHost.Builder(services).AddTwilioSms(configuration.GetSection("Messaging:Twilio"));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<TwilioSmsOptions>>().Value;
        options.MessagingServiceSid.Should().Be("MG0123456789abcdef0123456789abcdef");
        options.BaseUrl.Should().Be(new Uri("http://127.0.0.1:4010"));
        options.Timeout.Should().Be(TimeSpan.FromSeconds(7));
        options.StatusCallbackUrl.Should().Be(new Uri("https://ehr.example.nhs.uk/m/twilio/status"));
    }

    [Fact]
    public void The_parameterless_form_binds_the_Messaging_Twilio_section_of_the_hosts_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Messaging:Twilio:AccountSid"] = TwilioTestHost.AccountSid,
            ["Messaging:Twilio:AuthToken"] = TwilioTestHost.AuthToken,
            ["Messaging:Twilio:From"] = "NHSTrust",
        }).Build();
        var services = Services();
        services.AddSingleton<IConfiguration>(configuration);
        new TwilioTestHost.Builder(services).AddTwilioSms();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        provider.GetRequiredService<IOptions<TwilioSmsOptions>>().Value.From.Should().Be("NHSTrust");
    }

    [Fact]
    public void The_webhook_validator_uses_the_auth_token()
    {
        var services = Services();
        new TwilioTestHost.Builder(services).AddTwilioSms(o =>
        {
            o.AccountSid = TwilioTestHost.AccountSid;
            o.AuthToken = "12345";
            o.From = TwilioTestHost.From;
        });
        using var provider = services.BuildServiceProvider();

        var validator = provider.GetRequiredService<TwilioRequestValidator>();

        validator.ComputeSignature("https://mycompany.com/myapp.php?foo=1&bar=2", SignatureVectors.DocsParameters)
            .Should().Be("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    }

    [Fact]
    public void The_webhook_validator_cannot_be_resolved_with_an_api_key_alone_and_says_which_setting_is_missing()
    {
        var services = Services();
        new TwilioTestHost.Builder(services).AddTwilioSms(o =>
        {
            o.AccountSid = TwilioTestHost.AccountSid;
            o.From = TwilioTestHost.From;
            o.ApiKeySid = "SK0123456789abcdef0123456789abcdef";
            o.ApiKeySecret = "secret";
        });
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<TwilioRequestValidator>();

        act.Should().Throw<InvalidOperationException>().WithMessage("Messaging:Twilio:AuthToken is required to validate Twilio webhook signatures*");
    }

    private sealed class OtherProvider : ISmsProvider
    {
        public string Name => "other";

        public Task<ProviderSendResult> SendAsync(SmsSendRequest request, CancellationToken cancellationToken = default)
            => Task.FromResult(ProviderSendResult.Accepted("x"));
    }
}
