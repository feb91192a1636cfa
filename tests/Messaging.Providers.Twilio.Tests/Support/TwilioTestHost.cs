using Messaging.Tests.Support;
using Messaging.Providers.Twilio.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;

namespace Messaging.Providers.Twilio.Tests.Support;

/// <summary>The provider as a host gets it: registered with <c>AddTwilioSms</c> in a real service provider, logs captured.</summary>
public sealed class TwilioTestHost : IDisposable
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string AuthToken = "tok-7f3e9d1c5b2a4e6f8091a2b3c4d5e6f7";
    public const string From = "+447700900001";

    private readonly ServiceProvider _services;

    public TwilioTestHost(Uri baseUrl, Action<TwilioSmsOptions>? configure = null, Action<IServiceCollection>? configureServices = null)
    {
        var services = new ServiceCollection();
        configureServices?.Invoke(services);
        services.AddLogging(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<IClock>(Clock);
        new Builder(services).AddTwilioSms(o =>
        {
            o.AccountSid = AccountSid;
            o.AuthToken = AuthToken;
            o.From = From;
            o.BaseUrl = baseUrl;
            o.Timeout = TimeSpan.FromSeconds(30); // generous: a send that should succeed never races the clock on a loaded machine
            configure?.Invoke(o);
        });
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public CapturingLoggerProvider Logs { get; } = new();

    public FakeClock Clock { get; } = new(Instant.FromUtc(2025, 3, 1, 9, 0));

    public ISmsProvider Provider => _services.GetServices<ISmsProvider>().Single(p => p.Name == "twilio");

    public TwilioRequestValidator Validator => _services.GetRequiredService<TwilioRequestValidator>();

    public void Dispose() => _services.Dispose();

    internal sealed class Builder(IServiceCollection services) : IPatientMessagingBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
