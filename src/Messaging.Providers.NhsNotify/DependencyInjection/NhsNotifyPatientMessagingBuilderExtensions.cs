using Messaging;
using Messaging.Providers.NhsNotify;
using Messaging.Providers.NhsNotify.Sending;
using Messaging.Providers.NhsNotify.Webhooks;
using Microsoft.Extensions.Configuration;
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
        return AddCore(builder, NhsNotifyOptions.ProviderName, NhsNotifyOptions.DefaultSectionName);
    }

    /// <summary>Adds NHS Notify with options bound from a configuration section (e.g. <c>configuration.GetSection("Messaging:NhsNotify")</c>).</summary>
    /// <param name="builder">The builder <c>services.AddPatientMessaging()</c> returned.</param>
    /// <param name="configuration">The section holding <c>BaseUrl</c>, <c>ApiKey</c>, <c>ApplicationId</c>, <c>AccessToken</c> and the rest; validation messages name keys under its path.</param>
    /// <returns>The same builder, to chain more registrations.</returns>
    /// <remarks>
    /// <para>The registration named <c>nhs-notify</c>, whose options are the default (unnamed) <see cref="NhsNotifyOptions"/>;
    /// see <see cref="AddNhsNotify(IPatientMessagingBuilder, string, IConfiguration)"/> for an organisation's own. Registers
    /// the provider as one more <see cref="ISmsProvider"/> and one more <see cref="IEmailProvider"/> (both
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
        return AddCore(builder, NhsNotifyOptions.ProviderName, (configuration as IConfigurationSection)?.Path ?? string.Empty);
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
        return AddCore(builder, NhsNotifyOptions.ProviderName, NhsNotifyOptions.DefaultSectionName);
    }

    /// <summary>
    /// Adds a named NHS Notify registration (R26) — one organisation's own NHS Notify application — with its options bound
    /// from a configuration section, e.g.
    /// <c>.AddNhsNotify("northshire-notify", configuration.GetSection("Messaging:Providers:NhsNotify:northshire"))</c>.
    /// </summary>
    /// <param name="builder">The builder <c>services.AddPatientMessaging()</c> returned.</param>
    /// <param name="name">
    /// The registration's name: the provider name recorded on each message it sends, the one <c>Messaging:Routes</c>
    /// names (for SMS and email alike), and the segment of its callback route. 1 to 64 lower-case letters, digits or
    /// hyphens, starting with a letter. <c>nhs-notify</c> is the default registration (the unnamed overloads).
    /// </param>
    /// <param name="configuration">The section holding this registration's <see cref="NhsNotifyOptions"/>; validation messages name keys under its path.</param>
    /// <returns>The same builder, to chain more registrations.</returns>
    /// <remarks>
    /// Each name has its own named options (API key, application id, routing plans; validated at start-up), its own
    /// <see cref="ISmsProvider"/> and <see cref="IEmailProvider"/> named <paramref name="name"/>, its own named
    /// <see cref="HttpClient"/> with its own circuit breaker, and its own callback route <c>sms/{name}/status</c>
    /// (e.g. <c>/m/sms/northshire-notify/status</c>, the URL to give NHS Notify for that application), checked with its own
    /// key. Calling it again with the same name rebinds the options and adds nothing else.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid provider name.</exception>
    public static IPatientMessagingBuilder AddNhsNotify(this IPatientMessagingBuilder builder, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        CheckName(name);
        builder.Services.AddOptions<NhsNotifyOptions>(NhsNotifyRegistrations.OptionsNameOf(name)).Bind(configuration);
        return AddCore(builder, name, (configuration as IConfigurationSection)?.Path ?? string.Empty);
    }

    /// <summary>Adds a named NHS Notify registration (R26) with its options set in code.</summary>
    /// <inheritdoc cref="AddNhsNotify(IPatientMessagingBuilder, string, IConfiguration)" path="/remarks"/>
    /// <param name="builder">The builder <c>services.AddPatientMessaging()</c> returned.</param>
    /// <param name="name">The registration's name, as for <see cref="AddNhsNotify(IPatientMessagingBuilder, string, IConfiguration)"/>.</param>
    /// <param name="configure">Sets the options; validation messages name them as under <c>Messaging:Providers:NhsNotify:{name}</c>.</param>
    /// <returns>The same builder, to chain more registrations.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid provider name.</exception>
    public static IPatientMessagingBuilder AddNhsNotify(this IPatientMessagingBuilder builder, string name, Action<NhsNotifyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        CheckName(name);
        builder.Services.AddOptions<NhsNotifyOptions>(NhsNotifyRegistrations.OptionsNameOf(name)).Configure(configure);
        return AddCore(builder, name, string.Equals(name, NhsNotifyOptions.ProviderName, StringComparison.Ordinal) ? NhsNotifyOptions.DefaultSectionName : $"Messaging:Providers:NhsNotify:{name}");
    }

    private static void CheckName(string name)
    {
        if (!ProviderWebhookRoutes.IsValidName(name))
        {
            throw new ArgumentException("An NHS Notify registration's name must be 1 to 64 lower-case letters, digits or hyphens, starting with a letter (it is a route segment and the provider name of its messages).", nameof(name));
        }
    }

    private static IPatientMessagingBuilder AddCore(IPatientMessagingBuilder builder, string name, string sectionPath)
    {
        var services = builder.Services;
        var registrations = services.FirstOrDefault(d => d.ServiceType == typeof(NhsNotifyRegistrations))?.ImplementationInstance as NhsNotifyRegistrations;
        if (registrations is null)
        {
            registrations = new NhsNotifyRegistrations();
            services.AddSingleton(registrations);
        }

        var optionsName = NhsNotifyRegistrations.OptionsNameOf(name);
        services.AddOptionsWithValidateOnStart<NhsNotifyOptions, NhsNotifyOptionsValidator>(optionsName);
        if (!registrations.Add(name, sectionPath))
        {
            return builder; // the same name again: its options are bound once more, nothing else is added
        }

        var registration = registrations.FindByOptionsName(optionsName)!;
        services.AddKeyedSingleton(name, (sp, _) => ActivatorUtilities.CreateInstance<NhsNotifySender>(sp, registration));
        services.AddSingleton<ISmsProvider>(sp => new NhsNotifySmsProvider(sp.GetRequiredKeyedService<NhsNotifySender>(name)));
        services.AddSingleton<IEmailProvider>(sp => new NhsNotifyEmailProvider(sp.GetRequiredKeyedService<NhsNotifySender>(name)));
        services.AddSingleton<IProviderWebhookHandler>(sp => ActivatorUtilities.CreateInstance<NhsNotifyWebhookHandler>(sp, registration));

        services.AddHttpClient(registration.HttpClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan) // the pipeline's timeout governs
            .RedactLoggedHeaders(_ => true)
            .AddResilienceHandler("nhs-notify", (pipeline, context) =>
            {
                context.EnableReloads<NhsNotifyOptions>(optionsName);
                var current = context.GetOptions<NhsNotifyOptions>(optionsName);
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
                        TimeoutGenerator = _ => ValueTask.FromResult(options.Get(optionsName).Timeout),
                    });
            });

        return builder;
    }
}
