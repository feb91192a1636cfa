using Messaging.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;

namespace Messaging.Providers.NhsNotify.Tests.Support;

/// <summary>The providers as a host gets them: registered with <c>AddNhsNotify</c> in a real service provider, logs captured.</summary>
public sealed class NhsNotifyTestHost : IDisposable
{
    public const string ApplicationId = "app-5e2c8a1f";
    public const string ApiKey = "key-0bb04a0e-d005-42dd-8993-dacf37410a12";
    public const string AccessToken = "tok-9d1c5b2a4e6f8091a2b3c4d5e6f7a8b9";

    private readonly ServiceProvider _services;

    public NhsNotifyTestHost(Uri baseUrl, Action<NhsNotifyOptions>? configure = null, Action<IServiceCollection>? configureServices = null)
    {
        var services = new ServiceCollection();
        configureServices?.Invoke(services);
        services.AddLogging(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<IClock>(Clock);
        new Builder(services).AddNhsNotify(o =>
        {
            o.BaseUrl = baseUrl;
            o.ApplicationId = ApplicationId;
            o.ApiKey = ApiKey;
            o.AccessToken = AccessToken;
            o.Timeout = TimeSpan.FromSeconds(30);
            configure?.Invoke(o);
        });
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public CapturingLoggerProvider Logs { get; } = new();

    public FakeClock Clock { get; } = new(Instant.FromUtc(2025, 3, 1, 9, 0));

    public ISmsProvider Sms => _services.GetServices<ISmsProvider>().Single(p => p.Name == "nhs-notify");

    public IEmailProvider Email => _services.GetServices<IEmailProvider>().Single(p => p.Name == "nhs-notify");

    public IProviderWebhookHandler Webhooks => _services.GetServices<IProviderWebhookHandler>().Single(p => p.Name == "nhs-notify");

    public IServiceProvider Services => _services;

    public void Dispose() => _services.Dispose();

    internal sealed class Builder(IServiceCollection services) : IPatientMessagingBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
