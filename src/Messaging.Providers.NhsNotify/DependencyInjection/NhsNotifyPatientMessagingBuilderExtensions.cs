using Messaging;
using Messaging.Providers.NhsNotify;
using Messaging.Providers.NhsNotify.Sending;
using Messaging.Providers.NhsNotify.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers NHS Notify as an SMS and email provider of the Patient Messaging SDK.</summary>
public static class NhsNotifyPatientMessagingBuilderExtensions
{
    /// <summary>Adds NHS Notify with <see cref="NhsNotifyOptions"/> bound from the <c>Messaging:NhsNotify</c> section of the host's <see cref="IConfiguration"/>.</summary>
    /// <inheritdoc cref="AddNhsNotify(IPatientMessagingBuilder, IConfiguration)" path="/remarks"/>
    /// <param name="builder">The builder <c>services.AddPatientMessaging()</c> returned.</param>
    /// <returns>The same builder, to chain more registrations.</returns>
    public static IPatientMessagingBuilder AddNhsNotify(this IPatientMessagingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<NhsNotifyOptions>().BindConfiguration(NhsNotifyOptions.DefaultSectionName);
        return AddCore(builder, NhsNotifyOptions.DefaultSectionName);
    }

    /// <summary>Adds NHS Notify with options bound from a configuration section (e.g. <c>configuration.GetSection("Messaging:NhsNotify")</c>).</summary>
    /// <param name="builder">The builder <c>services.AddPatientMessaging()</c> returned.</param>
    /// <param name="configuration">The section holding <c>BaseUrl</c>, <c>ApiKey</c>, <c>ApplicationId</c>, <c>AccessToken</c> and the rest; validation messages name keys under its path.</param>
    /// <returns>The same builder, to chain more registrations.</returns>
    /// <remarks>
    /// <para>Registers the provider as one more <see cref="ISmsProvider"/> and one more <see cref="IEmailProvider"/> (both
    /// named <c>nhs-notify</c>, alongside any other, for fallback; a second call adds nothing), NHS Notify's
    /// <see cref="IProviderWebhookHandler"/>, which <c>MapPatientMessaging</c> serves at <c>sms/nhs-notify/status</c>
    /// (the URL to give NHS Notify's onboarding team for the <c>message_status</c> and <c>channel_status</c> callbacks), and a
    /// named <see cref="HttpClient"/> whose pipeline has a timeout (<see cref="NhsNotifyOptions.Timeout"/>) and a circuit
    /// breaker but no retry: the SDK's outbox dispatcher retries (R20), with the same <c>messageReference</c>, which NHS
    /// Notify deduplicates.</para>
    /// <para>Options are validated at start-up; a missing setting stops the host with a message naming its key. Logged
    /// request headers are redacted.</para>
    /// </remarks>
    public static IPatientMessagingBuilder AddNhsNotify(this IPatientMessagingBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<NhsNotifyOptions>().Bind(configuration);
        return AddCore(builder, (configuration as IConfigurationSection)?.Path ?? string.Empty);
    }

    /// <summary>Adds NHS Notify with options set in code (e.g. from a secret store).</summary>
    /// <inheritdoc cref="AddNhsNotify(IPatientMessagingBuilder, IConfiguration)" path="/remarks"/>
    /// <param name="builder">The builder <c>services.AddPatientMessaging()</c> returned.</param>
    /// <param name="configure">Sets the options; validation messages name them as under <c>Messaging:NhsNotify</c>.</param>
    /// <returns>The same builder, to chain more registrations.</returns>
    public static IPatientMessagingBuilder AddNhsNotify(this IPatientMessagingBuilder builder, Action<NhsNotifyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<NhsNotifyOptions>().Configure(configure);
        return AddCore(builder, NhsNotifyOptions.DefaultSectionName);
    }

    private static IPatientMessagingBuilder AddCore(IPatientMessagingBuilder builder, string sectionPath)
    {
        var services = builder.Services;
        services.AddOptions<NhsNotifyOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NhsNotifyOptions>>(new NhsNotifyOptionsValidator(sectionPath)));
        services.TryAddSingleton<NhsNotifySender>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISmsProvider, NhsNotifySmsProvider>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEmailProvider, NhsNotifyEmailProvider>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProviderWebhookHandler, NhsNotifyWebhookHandler>());

        if (!services.Any(d => d.ServiceType == typeof(NhsNotifyHttpClientMarker)))
        {
            services.AddSingleton<NhsNotifyHttpClientMarker>();
            services.AddHttpClient(NhsNotifySender.HttpClientName)
                .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan) // the pipeline's timeout governs
                .RedactLoggedHeaders(_ => true)
                .AddResilienceHandler("nhs-notify", static (pipeline, context) =>
                {
                    context.EnableReloads<NhsNotifyOptions>();
                    var current = context.GetOptions<NhsNotifyOptions>();
                    var options = context.ServiceProvider.GetRequiredService<IOptionsMonitor<NhsNotifyOptions>>();
                    pipeline
                        .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                        {
                            FailureRatio = current.CircuitBreakerFailureRatio,
                            MinimumThroughput = current.CircuitBreakerMinimumThroughput,
                            SamplingDuration = current.CircuitBreakerSamplingDuration,
                            BreakDuration = current.CircuitBreakerBreakDuration,
                        })
                        .AddTimeout(new HttpTimeoutStrategyOptions
                        {
                            TimeoutGenerator = _ => ValueTask.FromResult(options.CurrentValue.Timeout),
                        });
                });
        }

        return builder;
    }

    /// <summary>Marks that the NHS Notify HTTP client is registered, so a second <c>AddNhsNotify</c> does not stack handlers.</summary>
    private sealed class NhsNotifyHttpClientMarker;
}
