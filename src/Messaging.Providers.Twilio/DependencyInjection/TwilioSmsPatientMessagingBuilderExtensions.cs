using Messaging;
using Messaging.Providers.Twilio;
using Messaging.Providers.Twilio.Sending;
using Messaging.Providers.Twilio.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Twilio as an SMS provider of the Patient Messaging SDK.</summary>
public static class TwilioSmsPatientMessagingBuilderExtensions
{
    /// <summary>
    /// Adds Twilio SMS with <see cref="TwilioSmsOptions"/> bound from the <c>Messaging:Twilio</c> section of the host's
    /// <see cref="IConfiguration"/>.
    /// </summary>
    /// <inheritdoc cref="AddTwilioSms(IPatientMessagingBuilder, IConfiguration)" path="/remarks"/>
    /// <param name="builder">The builder <c>services.AddPatientMessaging()</c> returned.</param>
    /// <returns>The same builder, to chain more registrations.</returns>
    public static IPatientMessagingBuilder AddTwilioSms(this IPatientMessagingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<TwilioSmsOptions>().BindConfiguration(TwilioSmsOptions.DefaultSectionName);
        return AddCore(builder, TwilioSmsOptions.DefaultSectionName);
    }

    /// <summary>Adds Twilio SMS with options bound from a configuration section (e.g. <c>configuration.GetSection("Messaging:Twilio")</c>).</summary>
    /// <param name="builder">The builder <c>services.AddPatientMessaging()</c> returned.</param>
    /// <param name="configuration">The section holding <c>AccountSid</c>, <c>AuthToken</c>, <c>From</c> and the rest; validation messages name keys under its path.</param>
    /// <returns>The same builder, to chain more registrations.</returns>
    /// <remarks>
    /// <para>Registers the provider as one more <see cref="ISmsProvider"/> (alongside any other, for fallback; a second
    /// call adds nothing), Twilio's <see cref="IProviderWebhookHandler"/> (named <c>twilio</c>), which
    /// <c>MapPatientMessaging</c> serves at <c>sms/twilio/status</c> and <c>sms/twilio/inbound/{organisationId}</c>
    /// below the SDK's mount point, a <see cref="TwilioRequestValidator"/> for webhook signatures (resolving it needs
    /// <see cref="TwilioSmsOptions.AuthToken"/>), and a named <see cref="HttpClient"/> whose pipeline has a timeout
    /// (<see cref="TwilioSmsOptions.Timeout"/>) and a circuit breaker but <b>no retry</b>: a message-creating POST is
    /// not idempotent at Twilio, so retries are left to the SDK's outbox dispatcher (R20). By default the circuit opens
    /// when half of at least 10 sends in 30 seconds fail transiently (5xx, 429, 408, network error, timeout), and then
    /// fails sends fast for 15 seconds (code <c>circuit_open</c>), so a fallback provider takes over at once; the
    /// <c>CircuitBreaker*</c> options change that.</para>
    /// <para>Each send carries <c>StatusCallback</c> = <c>{Messaging:PublicBaseUrl}sms/twilio/status</c> (unless
    /// <see cref="TwilioSmsOptions.StatusCallbackUrl"/> overrides it), and the auth token that checks webhook signatures
    /// is read per request, so a rotated token applies on a configuration reload without a restart.</para>
    /// <para>Options are validated at start-up; a missing setting stops the host with a message naming its key.
    /// Logged request headers are redacted.</para>
    /// </remarks>
    public static IPatientMessagingBuilder AddTwilioSms(this IPatientMessagingBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<TwilioSmsOptions>().Bind(configuration);
        return AddCore(builder, (configuration as IConfigurationSection)?.Path ?? string.Empty);
    }

    /// <summary>Adds Twilio SMS with options set in code (e.g. from a secret store).</summary>
    /// <inheritdoc cref="AddTwilioSms(IPatientMessagingBuilder, IConfiguration)" path="/remarks"/>
    /// <param name="builder">The builder <c>services.AddPatientMessaging()</c> returned.</param>
    /// <param name="configure">Sets the options; validation messages name them as under <c>Messaging:Twilio</c>.</param>
    /// <returns>The same builder, to chain more registrations.</returns>
    public static IPatientMessagingBuilder AddTwilioSms(this IPatientMessagingBuilder builder, Action<TwilioSmsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<TwilioSmsOptions>().Configure(configure);
        return AddCore(builder, TwilioSmsOptions.DefaultSectionName);
    }

    private static IPatientMessagingBuilder AddCore(IPatientMessagingBuilder builder, string sectionPath)
    {
        var services = builder.Services;
        services.AddOptions<TwilioSmsOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TwilioSmsOptions>>(new TwilioSmsOptionsValidator(sectionPath)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISmsProvider, TwilioSmsProvider>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProviderWebhookHandler, TwilioWebhookHandler>());

        // Transient and read from the monitor: a validator resolved after a configuration reload checks with the new token.
        services.TryAddTransient(sp =>
        {
            var token = sp.GetRequiredService<IOptionsMonitor<TwilioSmsOptions>>().CurrentValue.AuthToken;
            return string.IsNullOrEmpty(token)
                ? throw new InvalidOperationException(
                    $"{(sectionPath.Length == 0 ? string.Empty : sectionPath + ":")}AuthToken is required to validate Twilio webhook signatures, even when sending with an API key.")
                : new TwilioRequestValidator(token);
        });

        if (!services.Any(d => d.ServiceType == typeof(TwilioHttpClientMarker)))
        {
            services.AddSingleton<TwilioHttpClientMarker>();
            services.AddHttpClient(TwilioSmsProvider.HttpClientName)
                .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan) // the pipeline's timeout governs
                .RedactLoggedHeaders(_ => true)
                .AddResilienceHandler("twilio", static (pipeline, context) =>
                {
                    // Rebuilt when the options change, so a reloaded setting applies without a restart.
                    context.EnableReloads<TwilioSmsOptions>();
                    var current = context.GetOptions<TwilioSmsOptions>();
                    var options = context.ServiceProvider.GetRequiredService<IOptionsMonitor<TwilioSmsOptions>>();
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

    /// <summary>Marks that the Twilio HTTP client is registered, so a second <c>AddTwilioSms</c> does not stack handlers.</summary>
    private sealed class TwilioHttpClientMarker;
}
