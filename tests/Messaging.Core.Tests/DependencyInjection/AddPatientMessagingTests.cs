using Messaging.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;

namespace Messaging.Tests.DependencyInjection;

public sealed class AddPatientMessagingTests
{
    private const string LinkKey = TestSecrets.LinkKey; // 34 bytes

    /// <summary>Starts a host whose options have a valid link key unless <paramref name="configure"/> changes it.</summary>
    private static async Task<Exception?> StartHostAsync(Action<PatientMessagingOptions> configure)
        => await HostStart.TryAsync(services => services.AddPatientMessaging(o =>
        {
            o.LinkKey = LinkKey;
            configure(o);
        }).AddInMemoryStore());

    [Fact]
    public async Task Start_up_fails_naming_the_missing_public_base_url()
    {
        var error = await StartHostAsync(_ => { });

        error.Should().BeOfType<OptionsValidationException>().Which.Message.Should().Contain("Messaging:PublicBaseUrl is required");
    }

    [Theory]
    [InlineData(null, "Messaging:LinkKey is required")]
    [InlineData("c2hvcnQ=", "Messaging:LinkKey must be at least 32 bytes of base64")]
    [InlineData("not base64 at all!", "Messaging:LinkKey must be at least 32 bytes of base64")]
    public async Task Start_up_fails_naming_a_missing_or_weak_link_key_without_echoing_it(string? key, string expected)
    {
        var error = await StartHostAsync(o =>
        {
            o.PublicBaseUrl = new Uri("https://ehr.example.nhs.uk/m/");
            o.LinkKey = key;
        });

        error.Should().BeOfType<OptionsValidationException>().Which.Message.Should().Contain(expected);
        if (key is not null)
        {
            error!.Message.Should().NotContain(key);
        }
    }

    [Theory]
    [InlineData("http://ehr.example.nhs.uk/m/", "must use https")]
    [InlineData("/m/", "must be an absolute URL")]
    public async Task Start_up_refuses_a_public_base_url_that_patients_could_not_safely_use(string url, string expected)
    {
        var error = await StartHostAsync(o => o.PublicBaseUrl = new Uri(url, UriKind.RelativeOrAbsolute));

        error!.Message.Should().Contain(expected);
    }

    [Fact]
    public async Task Start_up_names_every_bad_setting_at_once()
    {
        var error = await StartHostAsync(o =>
        {
            o.PublicBaseUrl = new Uri("https://ehr.example.nhs.uk/m/");
            o.TimeZone = "Mars/Olympus";
            o.DefaultPhoneRegion = "XX";
            o.DefaultPageSize = 500;
        });

        error!.Message.Should().Contain("Messaging:TimeZone").And.Contain("Messaging:DefaultPhoneRegion").And.Contain("Messaging:DefaultPageSize");
    }

    [Fact]
    public async Task A_valid_configuration_starts_and_loopback_http_is_allowed_for_development()
    {
        (await StartHostAsync(o => o.PublicBaseUrl = new Uri("http://127.0.0.1:5000/m/"))).Should().BeNull();
    }

    [Fact]
    public void The_host_can_replace_the_clock_and_registration_is_idempotent()
    {
        var services = new ServiceCollection();
        var clock = new FakeClock(Instant.FromUtc(2030, 1, 1, 0, 0));
        services.AddSingleton<IClock>(clock);
        services.AddPatientMessaging(o =>
        {
            o.PublicBaseUrl = new Uri("https://x.example/");
            o.LinkKey = TestSecrets.LinkKey;
        }).AddInMemoryStore();
        services.AddPatientMessaging().AddInMemoryStore();

        using var provider = services.BuildServiceProvider(validateScopes: true);

        provider.GetRequiredService<IClock>().Should().BeSameAs(clock);
        services.Count(d => d.ServiceType == typeof(IConversationService)).Should().Be(1);
        provider.GetRequiredService<IConversationService>().Should().BeSameAs(provider.GetRequiredService<IConversationService>());
    }
}
