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
        return AddCore(builder, TwilioSmsOptions.ProviderName, TwilioSmsOptions.DefaultSectionName);
    }

    /// <summary>Adds Twilio SMS with options bound from a configuration section (e.g. <c>configuration.GetSection("Messaging:Twilio")</c>).</summary>
    /// <param name="builder">The builder <c>services.AddPatientMessaging()</c> returned.</param>
    /// <param name="configuration">The section holding <c>AccountSid</c>, <c>AuthToken</c>, <c>From</c> and the rest; validation messages name keys under its path.</param>
    /// <returns>The same builder, to chain more registrations.</returns>
    /// <remarks>
    /// <para>The registration named <c>twilio</c> (<see cref="TwilioSmsOptions.ProviderName"/>), as
    /// <see cref="AddTwilioSms(IPatientMessagingBuilder, string, IConfiguration)"/> with that name: its options are the
    /// default (unnamed) <see cref="TwilioSmsOptions"/>. Registers the provider as one more <see cref="ISmsProvider"/>
    /// (alongside any other, for fallback; a second call with the same name adds no second provider), Twilio's
    /// <see cref="IProviderWebhookHandler"/>, which <c>MapPatientMessaging</c> serves at <c>sms/twilio/status</c> and
    /// <c>sms/twilio/inbound/{organisationId}</c> below the SDK's mount point, a <see cref="TwilioRequestValidator"/> for
    /// webhook signatures (resolving it needs <see cref="TwilioSmsOptions.AuthToken"/>), and a named
    /// <see cref="HttpClient"/> whose pipeline has a timeout (<see cref="TwilioSmsOptions.Timeout"/>) and a circuit
    /// breaker but <b>no retry</b>: a message-creating POST is not idempotent at Twilio, so retries are left to the SDK's
    /// outbox dispatcher (R20). By default the circuit opens when half of at least 10 sends in 30 seconds fail transiently
    /// (5xx, 429, 408, network error, timeout), and then fails sends fast for 15 seconds (code <c>circuit_open</c>), so a
    /// fallback provider takes over at once; the <c>CircuitBreaker*</c> options change that.</para>
    /// <para>Each send carries <c>StatusCallback</c> = <c>{Messaging:PublicBaseUrl}sms/twilio/status</c> (unless
    /// <see cref="TwilioSmsOptions.StatusCallbackUrl"/> overrides it), and the auth token that checks webhook signatures
    /// is read per request, so a rotated token applies on a configuration reload without a restart.</para>
    /// <para>Options are validated at start-up; a missing setting stops the host with a message naming its key.
    /// Logged request headers are redacted.</para>
    /// </remarks>
    public static IPatientMessagingBuilder AddTwilioSms(this IPatientMessagingBuilder builder, IConfiguration configuration)
        => AddTwilioSms(builder, TwilioSmsOptions.ProviderName, configuration);

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
        return AddCore(builder, TwilioSmsOptions.ProviderName, TwilioSmsOptions.DefaultSectionName);
    }

    /// <summary>
    /// Adds a named Twilio registration (R26) — one organisation's own account or Messaging Service and sender — with its
    /// options bound from a configuration section, e.g.
    /// <c>.AddTwilioSms("northshire-twilio", configuration.GetSection("Messaging:Providers:Twilio:northshire"))</c>.
    /// </summary>
    /// <param name="builder">The builder <c>services.AddPatientMessaging()</c> returned.</param>
    /// <param name="name">
    /// The registration's name: the provider name recorded on each message it sends, the one <c>Messaging:Routes</c>
    /// names, and the segment of its webhook routes. 1 to 64 lower-case letters, digits or hyphens, starting with a
    /// letter. <c>twilio</c> is the default registration (the unnamed overloads).
    /// </param>
    /// <param name="configuration">The section holding this registration's <see cref="TwilioSmsOptions"/>; validation messages name keys under its path (e.g. <c>Messaging:Providers:Twilio:northshire:AccountSid</c>).</param>
    /// <returns>The same builder, to chain more registrations.</returns>
    /// <remarks>
    /// <para>Each name has its own named options (<c>IOptionsMonitor&lt;TwilioSmsOptions&gt;.Get(name)</c>, validated at
    /// start-up), its own <see cref="ISmsProvider"/> named <paramref name="name"/>, its own named <see cref="HttpClient"/>
    /// with its own circuit breaker, and its own <see cref="IProviderWebhookHandler"/>: delivery reports arrive at
    /// <c>sms/{name}/status</c> (the URL the SDK puts in each of its sends) and texts at
    /// <c>sms/{name}/inbound/{organisationId}</c>, e.g. <c>/m/sms/northshire-twilio/inbound/{organisationId}</c>, each
    /// checked with this registration's auth token. Calling it again with the same name rebinds the options and adds
    /// nothing else.</para>
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid provider name.</exception>
    public static IPatientMessagingBuilder AddTwilioSms(this IPatientMessagingBuilder builder, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        CheckName(name);
        builder.Services.AddOptions<TwilioSmsOptions>(TwilioRegistrations.OptionsNameOf(name)).Bind(configuration);
        return AddCore(builder, name, (configuration as IConfigurationSection)?.Path ?? string.Empty);
    }

    /// <summary>Adds a named Twilio registration (R26) with its options set in code (e.g. from a secret store).</summary>
    /// <inheritdoc cref="AddTwilioSms(IPatientMessagingBuilder, string, IConfiguration)" path="/remarks"/>
    /// <param name="builder">The builder <c>services.AddPatientMessaging()</c> returned.</param>
    /// <param name="name">The registration's name, as for <see cref="AddTwilioSms(IPatientMessagingBuilder, string, IConfiguration)"/>.</param>
    /// <param name="configure">Sets the options; validation messages name them as under <c>Messaging:Providers:Twilio:{name}</c>.</param>
    /// <returns>The same builder, to chain more registrations.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid provider name.</exception>
    public static IPatientMessagingBuilder AddTwilioSms(this IPatientMessagingBuilder builder, string name, Action<TwilioSmsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        CheckName(name);
        builder.Services.AddOptions<TwilioSmsOptions>(TwilioRegistrations.OptionsNameOf(name)).Configure(configure);
        return AddCore(builder, name, string.Equals(name, TwilioSmsOptions.ProviderName, StringComparison.Ordinal) ? TwilioSmsOptions.DefaultSectionName : $"Messaging:Providers:Twilio:{name}");
    }

    private static void CheckName(string name)
    {
        if (!ProviderWebhookRoutes.IsValidName(name))
        {
            throw new ArgumentException("A Twilio registration's name must be 1 to 64 lower-case letters, digits or hyphens, starting with a letter (it is a route segment and the provider name of its messages).", nameof(name));
        }
    }

    private static IPatientMessagingBuilder AddCore(IPatientMessagingBuilder builder, string name, string sectionPath)
    {
        var services = builder.Services;
        var registrations = services.FirstOrDefault(d => d.ServiceType == typeof(TwilioRegistrations))?.ImplementationInstance as TwilioRegistrations;
        if (registrations is null)
        {
            registrations = new TwilioRegistrations();
            services.AddSingleton(registrations);
        }

        services.AddOptionsWithValidateOnStart<TwilioSmsOptions, TwilioSmsOptionsValidator>(TwilioRegistrations.OptionsNameOf(name));
        if (!registrations.Add(name, sectionPath))
        {
            return builder; // the same name again: its options are bound once more, nothing else is added
        }

        var registration = registrations.FindByOptionsName(TwilioRegistrations.OptionsNameOf(name))!;
        services.AddSingleton<ISmsProvider>(sp => ActivatorUtilities.CreateInstance<TwilioSmsProvider>(sp, registration));
        services.AddSingleton<IProviderWebhookHandler>(sp => ActivatorUtilities.CreateInstance<TwilioWebhookHandler>(sp, registration));

        if (registration.OptionsName.Length == 0)
        {
            // Transient and read from the monitor: a validator resolved after a configuration reload checks with the new token.
            services.TryAddTransient(sp =>
            {
                var token = sp.GetRequiredService<IOptionsMonitor<TwilioSmsOptions>>().CurrentValue.AuthToken;
                return string.IsNullOrEmpty(token)
                    ? throw new InvalidOperationException(
                        $"{(sectionPath.Length == 0 ? string.Empty : sectionPath + ":")}AuthToken is required to validate Twilio webhook signatures, even when sending with an API key.")
                    : new TwilioRequestValidator(token);
            });
        }

        var optionsName = registration.OptionsName;
        services.AddHttpClient(registration.HttpClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan) // the pipeline's timeout governs
            .RedactLoggedHeaders(_ => true)
            .AddResilienceHandler("twilio", (pipeline, context) =>
            {
                // Rebuilt when this registration's options change, so a reloaded setting applies without a restart.
                context.EnableReloads<TwilioSmsOptions>(optionsName);
                var current = context.GetOptions<TwilioSmsOptions>(optionsName);
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
                        TimeoutGenerator = _ => ValueTask.FromResult(options.Get(optionsName).Timeout),
                    });
            });

        return builder;
    }
}
