using Messaging.Providers.Twilio.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;

namespace Messaging.Providers.Twilio.Tests.Configuration;

/// <summary>
/// R26: <c>AddTwilioSms(name, …)</c> registers an organisation's own account on named options, validated at start-up
/// under the bound section's path; each name is its own provider and webhook handler; the unnamed calls are <c>twilio</c>.
/// </summary>
public sealed class NamedRegistrationTests
{
    private const string OtherSid = "AC99999999999999999999999999999999";

    private static ServiceCollection Services()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2025, 1, 1, 0, 0)));
        return services;
    }

    private static IConfigurationRoot Configuration(Dictionary<string, string?> settings) => new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    private static Dictionary<string, string?> TwoAccounts() => new()
    {
        ["Messaging:Providers:Twilio:northshire:AccountSid"] = TwilioTestHost.AccountSid,
        ["Messaging:Providers:Twilio:northshire:AuthToken"] = "northshire-token",
        ["Messaging:Providers:Twilio:northshire:From"] = "+447700900111",
        ["Messaging:Providers:Twilio:riverside:AccountSid"] = OtherSid,
        ["Messaging:Providers:Twilio:riverside:AuthToken"] = "riverside-token",
        ["Messaging:Providers:Twilio:riverside:MessagingServiceSid"] = "MG0123456789abcdef0123456789abcdef",
    };

    private static ServiceProvider Build(IConfigurationRoot configuration, Action<TwilioTestHost.Builder>? more = null)
    {
        var services = Services();
        var builder = new TwilioTestHost.Builder(services);
        builder.AddTwilioSms("northshire-twilio", configuration.GetSection("Messaging:Providers:Twilio:northshire"))
               .AddTwilioSms("riverside-twilio", configuration.GetSection("Messaging:Providers:Twilio:riverside"));
        more?.Invoke(builder);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    [Fact]
    public void Each_name_is_its_own_provider_with_its_own_options_and_webhook_routes()
    {
        using var provider = Build(Configuration(TwoAccounts()));

        provider.GetRequiredService<IStartupValidator>().Validate();
        provider.GetServices<ISmsProvider>().Select(p => p.Name).Should().Equal("northshire-twilio", "riverside-twilio");
        var monitor = provider.GetRequiredService<IOptionsMonitor<TwilioSmsOptions>>();
        monitor.Get("northshire-twilio").AccountSid.Should().Be(TwilioTestHost.AccountSid);
        monitor.Get("riverside-twilio").AccountSid.Should().Be(OtherSid);
        monitor.Get("riverside-twilio").MessagingServiceSid.Should().Be("MG0123456789abcdef0123456789abcdef");
        provider.GetServices<IProviderWebhookHandler>().SelectMany(h => h.Routes.Select(r => $"{h.Name} {r.Template}")).Should().Equal(
            "northshire-twilio sms/northshire-twilio/status",
            "northshire-twilio sms/northshire-twilio/inbound/{organisationId}",
            "riverside-twilio sms/riverside-twilio/status",
            "riverside-twilio sms/riverside-twilio/inbound/{organisationId}");
    }

    [Fact]
    public void A_bad_setting_of_a_named_registration_stops_start_up_naming_its_path()
    {
        var settings = TwoAccounts();
        settings["Messaging:Providers:Twilio:riverside:AccountSid"] = null;
        settings["Messaging:Providers:Twilio:northshire:From"] = "not a sender!";
        using var provider = Build(Configuration(settings));

        // Both bad settings are reported at once (an AggregateException of one OptionsValidationException each).
        var failure = Record.Exception(() => provider.GetRequiredService<IStartupValidator>().Validate());

        failure.Should().NotBeNull();
        var messages = failure is AggregateException all ? string.Join("\n", all.InnerExceptions.Select(e => e.Message)) : failure!.Message;
        messages.Should().Contain("Messaging:Providers:Twilio:riverside:AccountSid is required")
            .And.Contain("Messaging:Providers:Twilio:northshire:From must be")
            .And.NotContain("riverside-token").And.NotContain("northshire-token");
    }

    [Fact]
    public void The_unnamed_registration_is_twilio_on_the_default_options_beside_named_ones()
    {
        using var provider = Build(Configuration(TwoAccounts()), b => b.AddTwilioSms(o =>
        {
            o.AccountSid = TwilioTestHost.AccountSid;
            o.AuthToken = TwilioTestHost.AuthToken;
            o.From = TwilioTestHost.From;
        }));

        provider.GetRequiredService<IStartupValidator>().Validate();
        provider.GetServices<ISmsProvider>().Select(p => p.Name).Should().Equal("northshire-twilio", "riverside-twilio", "twilio");
        provider.GetRequiredService<IOptions<TwilioSmsOptions>>().Value.From.Should().Be(TwilioTestHost.From);
        provider.GetServices<IProviderWebhookHandler>().Single(h => h.Name == "twilio").Routes.Should().Contain(r => r.Deprecated, "the 1.0 paths stay with the default registration");
        provider.GetServices<IProviderWebhookHandler>().Where(h => h.Name != "twilio").SelectMany(h => h.Routes).Should().NotContain(r => r.Deprecated);
    }

    [Fact]
    public void The_same_name_twice_adds_one_provider()
    {
        using var provider = Build(Configuration(TwoAccounts()), b => b.AddTwilioSms("northshire-twilio", o => o.Timeout = TimeSpan.FromSeconds(9)));

        provider.GetServices<ISmsProvider>().Select(p => p.Name).Should().Equal("northshire-twilio", "riverside-twilio");
        provider.GetRequiredService<IOptionsMonitor<TwilioSmsOptions>>().Get("northshire-twilio").Timeout.Should().Be(TimeSpan.FromSeconds(9));
    }

    [Theory]
    [InlineData("Northshire")]
    [InlineData("north shire")]
    [InlineData("")]
    [InlineData("9lives")]
    public void A_name_that_cannot_be_a_route_segment_is_refused(string name)
    {
        var register = () => new TwilioTestHost.Builder(Services()).AddTwilioSms(name, _ => { });

        register.Should().Throw<ArgumentException>().WithParameterName("name");
    }
}
