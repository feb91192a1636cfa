using Messaging.Providers.NhsNotify.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Messaging.Providers.NhsNotify.Tests.Configuration;

public sealed class OptionsValidationTests
{
    private static OptionsValidationException? Validate(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        new NhsNotifyTestHost.Builder(services).AddNhsNotify(configuration.GetSection("Messaging:NhsNotify"));
        using var provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<NhsNotifyOptions>>().Value;
            return null;
        }
        catch (OptionsValidationException e)
        {
            return e;
        }
    }

    [Fact]
    public void Missing_credentials_stop_the_host_naming_each_key_without_printing_a_secret()
    {
        var error = Validate(new() { ["Messaging:NhsNotify:AccessToken"] = "tok-secret-123" });

        error.Should().NotBeNull();
        error!.Failures.Should().Contain(f => f.StartsWith("Messaging:NhsNotify:ApiKey is required", StringComparison.Ordinal));
        error.Failures.Should().Contain(f => f.StartsWith("Messaging:NhsNotify:ApplicationId is required", StringComparison.Ordinal));
        error.Message.Should().NotContain("tok-secret-123");
    }

    [Fact]
    public void Production_needs_an_access_token_and_the_sandbox_does_not()
    {
        var production = Validate(new() { ["Messaging:NhsNotify:ApiKey"] = "k", ["Messaging:NhsNotify:ApplicationId"] = "a" });
        var sandbox = Validate(new()
        {
            ["Messaging:NhsNotify:ApiKey"] = "k",
            ["Messaging:NhsNotify:ApplicationId"] = "a",
            ["Messaging:NhsNotify:BaseUrl"] = "https://sandbox.api.service.nhs.uk/comms",
        });

        production!.Failures.Should().ContainSingle().Which.Should().StartWith("Messaging:NhsNotify:AccessToken is required outside the sandbox");
        sandbox.Should().BeNull();
    }

    [Theory]
    [InlineData("Messaging:NhsNotify:BaseUrl", "http://notify.example.org/comms", "BaseUrl must use https")]
    [InlineData("Messaging:NhsNotify:Timeout", "00:00:00.5", "Timeout must be between")]
    [InlineData("Messaging:NhsNotify:SmsRoutingPlanId", "00000000-0000-0000-0000-000000000000", "SmsRoutingPlanId must be a routing plan id")]
    [InlineData("Messaging:NhsNotify:ApplicationId", "app.x", "ApplicationId must not contain '.'")]
    public void A_malformed_setting_stops_the_host_naming_it(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Messaging:NhsNotify:ApiKey"] = "k",
            ["Messaging:NhsNotify:ApplicationId"] = "a",
            ["Messaging:NhsNotify:AccessToken"] = "t",
        };
        settings[key] = value;

        Validate(settings)!.Failures.Should().ContainSingle().Which.Should().Contain(expected);
    }

    [Fact]
    public void Registering_twice_adds_each_provider_once()
    {
        var services = new ServiceCollection();
        var builder = new NhsNotifyTestHost.Builder(services);
        builder.AddNhsNotify(o => { o.ApiKey = "k"; o.ApplicationId = "a"; o.AccessToken = "t"; });
        builder.AddNhsNotify(o => { });
        services.AddLogging();
        services.AddSingleton<NodaTime.IClock>(NodaTime.SystemClock.Instance);
        using var provider = services.BuildServiceProvider();

        provider.GetServices<ISmsProvider>().Should().ContainSingle(p => p.Name == "nhs-notify");
        provider.GetServices<IEmailProvider>().Should().ContainSingle(p => p.Name == "nhs-notify");
        provider.GetServices<IProviderWebhookHandler>().Should().ContainSingle(p => p.Name == "nhs-notify");
    }
}
