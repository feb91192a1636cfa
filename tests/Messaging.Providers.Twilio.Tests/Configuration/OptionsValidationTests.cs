using Messaging.Providers.Twilio.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;

namespace Messaging.Providers.Twilio.Tests.Configuration;

/// <summary>Bad settings stop the host at start-up with messages naming each key, never printing a secret.</summary>
public sealed class OptionsValidationTests
{
    private static TwilioSmsOptions Valid() => new()
    {
        AccountSid = TwilioTestHost.AccountSid,
        AuthToken = TwilioTestHost.AuthToken,
        From = TwilioTestHost.From,
    };

    private static IReadOnlyList<string> Failures(TwilioSmsOptions options, string section = "Messaging:Twilio")
        => new TwilioSmsOptionsValidator(section).Validate(null, options).Failures?.ToList() ?? [];

    [Fact]
    public void Valid_options_pass() => Failures(Valid()).Should().BeEmpty();

    [Fact]
    public void Empty_options_name_the_account_sid_the_credentials_and_the_sender()
    {
        var failures = Failures(new TwilioSmsOptions());

        failures.Should().HaveCount(3);
        failures.Should().ContainSingle(f => f.StartsWith("Messaging:Twilio:AccountSid is required", StringComparison.Ordinal));
        failures.Should().ContainSingle(f => f.StartsWith("Messaging:Twilio:AuthToken is required", StringComparison.Ordinal) && f.Contains("ApiKeySid"));
        failures.Should().ContainSingle(f => f.StartsWith("Messaging:Twilio:From or Messaging:Twilio:MessagingServiceSid is required", StringComparison.Ordinal));
    }

    [Fact]
    public void An_api_key_sid_without_its_secret_names_the_secret()
    {
        var options = Valid();
        options.AuthToken = null;
        options.ApiKeySid = "SK0123456789abcdef0123456789abcdef";

        Failures(options).Should().ContainSingle().Which.Should().StartWith("Messaging:Twilio:ApiKeySecret is required");
    }

    [Fact]
    public void An_api_key_pair_replaces_the_auth_token()
    {
        var options = Valid();
        options.AuthToken = null;
        options.ApiKeySid = "SK0123456789abcdef0123456789abcdef";
        options.ApiKeySecret = "secret";

        Failures(options).Should().BeEmpty();
    }

    [Fact]
    public void From_and_a_messaging_service_together_are_refused()
    {
        var options = Valid();
        options.MessagingServiceSid = "MG0123456789abcdef0123456789abcdef";

        Failures(options).Should().ContainSingle().Which.Should().Contain("set exactly one");
    }

    [Theory]
    [InlineData("AccountSid", "AC123")]
    [InlineData("AccountSid", "SK0123456789abcdef0123456789abcdef")]
    [InlineData("From", "07700 900001")]
    [InlineData("From", "An NHS Trust Sender")]
    public void Malformed_values_are_named_without_being_printed(string key, string value)
    {
        var options = Valid();
        typeof(TwilioSmsOptions).GetProperty(key)!.SetValue(options, value);

        var failure = Failures(options).Should().ContainSingle().Subject;
        failure.Should().StartWith($"Messaging:Twilio:{key} must").And.NotContain(value);
    }

    [Theory]
    [InlineData("+447700900001")]
    [InlineData("NHSTrust")]
    [InlineData("NHS Trust")]
    [InlineData("60123")]
    public void Senders_may_be_E164_numbers_alphanumeric_ids_or_short_codes(string from)
    {
        var options = Valid();
        options.From = from;

        Failures(options).Should().BeEmpty();
    }

    [Fact]
    public void Plain_http_is_allowed_for_a_loopback_mock_only_and_the_timeout_is_bounded()
    {
        var options = Valid();
        options.BaseUrl = new Uri("http://api.twilio.example");
        options.Timeout = TimeSpan.Zero;

        var failures = Failures(options);

        failures.Should().HaveCount(2);
        failures.Should().Contain(f => f.StartsWith("Messaging:Twilio:BaseUrl must use https", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("Messaging:Twilio:Timeout must be between", StringComparison.Ordinal));

        options.BaseUrl = new Uri("http://127.0.0.1:4010");
        options.Timeout = TimeSpan.FromSeconds(3);
        Failures(options).Should().BeEmpty();
    }

    [Fact]
    public void No_failure_message_prints_a_secret()
    {
        var options = new TwilioSmsOptions
        {
            AccountSid = "ACnot-a-sid",
            AuthToken = "auth-token-should-not-appear",
            ApiKeySid = "SKbad",
            ApiKeySecret = "api-secret-should-not-appear",
            From = "+447700900001",
            MessagingServiceSid = "MGbad",
        };

        var failures = Failures(options);

        failures.Should().NotBeEmpty();
        string.Join('\n', failures).Should().NotContain("should-not-appear").And.NotContain("ACnot-a-sid");
    }

    [Fact]
    public void Start_up_validation_of_a_registered_provider_names_keys_under_the_bound_section()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Tenants:North:Sms:AuthToken"] = "x" })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2025, 1, 1, 0, 0)));
        new TwilioTestHost.Builder(services).AddTwilioSms(configuration.GetSection("Tenants:North:Sms"));
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().Contain(f => f.StartsWith("Tenants:North:Sms:AccountSid is required", StringComparison.Ordinal))
            .And.Contain(f => f.StartsWith("Tenants:North:Sms:From or Tenants:North:Sms:MessagingServiceSid is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Circuit_breaker_defaults_are_the_former_fixed_values_and_bad_ones_are_named()
    {
        var defaults = new TwilioSmsOptions();
        defaults.CircuitBreakerFailureRatio.Should().Be(0.5);
        defaults.CircuitBreakerMinimumThroughput.Should().Be(10);
        defaults.CircuitBreakerSamplingDuration.Should().Be(TimeSpan.FromSeconds(30));
        defaults.CircuitBreakerBreakDuration.Should().Be(TimeSpan.FromSeconds(15));

        var options = Valid();
        options.CircuitBreakerFailureRatio = 0;
        options.CircuitBreakerMinimumThroughput = 1;
        options.CircuitBreakerSamplingDuration = TimeSpan.FromMilliseconds(100);
        options.CircuitBreakerBreakDuration = TimeSpan.FromDays(2);

        Failures(options).Should().BeEquivalentTo(
            "Messaging:Twilio:CircuitBreakerFailureRatio must be greater than 0 and at most 1; it is 0.",
            "Messaging:Twilio:CircuitBreakerMinimumThroughput must be at least 2; it is 1.",
            "Messaging:Twilio:CircuitBreakerSamplingDuration must be between 00:00:00.5 and 1.00:00:00; it is 00:00:00.1000000.",
            "Messaging:Twilio:CircuitBreakerBreakDuration must be between 00:00:00.5 and 1.00:00:00; it is 2.00:00:00.");
    }

    [Fact]
    public void Circuit_breaker_settings_bind_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Messaging:Twilio:AccountSid"] = TwilioTestHost.AccountSid,
            ["Messaging:Twilio:AuthToken"] = TwilioTestHost.AuthToken,
            ["Messaging:Twilio:From"] = TwilioTestHost.From,
            ["Messaging:Twilio:CircuitBreakerFailureRatio"] = "0.25",
            ["Messaging:Twilio:CircuitBreakerMinimumThroughput"] = "4",
            ["Messaging:Twilio:CircuitBreakerSamplingDuration"] = "00:01:00",
            ["Messaging:Twilio:CircuitBreakerBreakDuration"] = "00:00:05",
        }).Build();
        var services = new ServiceCollection();
        new TwilioTestHost.Builder(services).AddTwilioSms(configuration.GetSection("Messaging:Twilio"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<TwilioSmsOptions>>().Value;

        options.CircuitBreakerFailureRatio.Should().Be(0.25);
        options.CircuitBreakerMinimumThroughput.Should().Be(4);
        options.CircuitBreakerSamplingDuration.Should().Be(TimeSpan.FromMinutes(1));
        options.CircuitBreakerBreakDuration.Should().Be(TimeSpan.FromSeconds(5));
    }
}
