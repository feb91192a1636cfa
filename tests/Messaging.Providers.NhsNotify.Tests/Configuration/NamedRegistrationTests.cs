using Messaging.Providers.NhsNotify.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;

namespace Messaging.Providers.NhsNotify.Tests.Configuration;

/// <summary>R26: <c>AddNhsNotify(name, …)</c> registers an organisation's own NHS Notify application on named options.</summary>
public sealed class NamedRegistrationTests
{
    private static ServiceProvider Build(Action<NhsNotifyTestHost.Builder> register)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2025, 1, 1, 0, 0)));
        register(new NhsNotifyTestHost.Builder(services));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    private static void Valid(NhsNotifyOptions o, string application)
    {
        o.BaseUrl = new Uri("http://127.0.0.1:9/");
        o.ApplicationId = application;
        o.ApiKey = application + "-key";
    }

    [Fact]
    public void Each_name_has_its_own_sms_and_email_provider_and_callback_route()
    {
        using var services = Build(b => b
            .AddNhsNotify(o => Valid(o, "default-app"))
            .AddNhsNotify("northshire-notify", o => Valid(o, "northshire-app")));

        services.GetRequiredService<IStartupValidator>().Validate();
        services.GetServices<ISmsProvider>().Select(p => p.Name).Should().Equal("nhs-notify", "northshire-notify");
        services.GetServices<IEmailProvider>().Select(p => p.Name).Should().Equal("nhs-notify", "northshire-notify");
        services.GetServices<IProviderWebhookHandler>().Select(h => h.Routes.Single().Template).Should().Equal("sms/nhs-notify/status", "sms/northshire-notify/status");
        services.GetRequiredService<IOptionsMonitor<NhsNotifyOptions>>().Get("northshire-notify").ApplicationId.Should().Be("northshire-app");
        services.GetRequiredService<IOptions<NhsNotifyOptions>>().Value.ApplicationId.Should().Be("default-app");
    }

    [Fact]
    public async Task A_callback_signed_for_one_application_is_refused_by_another()
    {
        using var services = Build(b => b
            .AddNhsNotify("northshire-notify", o => Valid(o, "northshire-app"))
            .AddNhsNotify("riverside-notify", o =>
            {
                o.BaseUrl = new Uri("http://127.0.0.1:9/");
                o.ApplicationId = NhsNotifyTestHost.ApplicationId;
                o.ApiKey = NhsNotifyTestHost.ApiKey;
            }));
        var handlers = services.GetServices<IProviderWebhookHandler>().ToDictionary(h => h.Name);
        var request = Callbacks.Signed(new Uri("https://ehr.example.nhs.uk/m/sms/riverside-notify/status"), Callbacks.MessageStatus("ref-1", "delivered"));

        (await handlers["riverside-notify"].AuthenticateAsync(request, default)).Should().BeTrue();
        (await handlers["northshire-notify"].AuthenticateAsync(request, default)).Should().BeFalse();
    }

    [Fact]
    public void A_bad_setting_of_a_named_registration_stops_start_up_naming_its_path()
    {
        using var services = Build(b => b.AddNhsNotify("northshire-notify", o => o.BaseUrl = new Uri("http://127.0.0.1:9/")));

        var validate = () => services.GetRequiredService<IStartupValidator>().Validate();

        validate.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("Messaging:Providers:NhsNotify:northshire-notify:ApiKey is required");
    }
}
