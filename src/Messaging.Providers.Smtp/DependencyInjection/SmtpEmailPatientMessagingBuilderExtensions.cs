using Messaging;
using Messaging.Providers.Smtp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SMTP email provider (<see cref="IEmailProvider"/> named <c>smtp</c>).</summary>
public static class SmtpEmailPatientMessagingBuilderExtensions
{
    /// <summary>
    /// Sends email through an SMTP relay configured in the <c>Messaging:Smtp</c> section of the host's
    /// <see cref="IConfiguration"/> (see <see cref="SmtpEmailOptions"/>). The settings are validated at start-up.
    /// </summary>
    /// <param name="builder">The messaging builder from <c>AddPatientMessaging()</c>.</param>
    /// <returns>The same builder, to chain calls.</returns>
    /// <remarks>Without an <see cref="IConfiguration"/> in the container nothing is bound, and start-up fails naming the missing settings.</remarks>
    public static IPatientMessagingBuilder AddSmtpEmail(this IPatientMessagingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SmtpEmailOptions>()
            .Configure<IServiceProvider>(static (options, services) =>
                services.GetService<IConfiguration>()?.GetSection(SmtpEmailOptions.SectionName).Bind(options));
        return AddCore(builder, SmtpEmailProvider.ProviderName, SmtpEmailOptions.SectionName);
    }

    /// <summary>Sends email through an SMTP relay configured in code. The settings are validated at start-up.</summary>
    /// <param name="builder">The messaging builder from <c>AddPatientMessaging()</c>.</param>
    /// <param name="configure">Sets the options, e.g. <c>o =&gt; { o.Host = "send.nhs.net"; o.FromAddress = "clinic@nhs.net"; }</c>.</param>
    /// <returns>The same builder, to chain calls.</returns>
    public static IPatientMessagingBuilder AddSmtpEmail(this IPatientMessagingBuilder builder, Action<SmtpEmailOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<SmtpEmailOptions>().Configure(configure);
        return AddCore(builder, SmtpEmailProvider.ProviderName, SmtpEmailOptions.SectionName);
    }

    /// <summary>
    /// Sends email through an SMTP relay configured in <paramref name="configuration"/>, e.g.
    /// <c>configuration.GetSection("Messaging:Smtp")</c>. The settings are validated at start-up, and errors name the
    /// keys under that section's path.
    /// </summary>
    /// <param name="builder">The messaging builder from <c>AddPatientMessaging()</c>.</param>
    /// <param name="configuration">The section holding <see cref="SmtpEmailOptions"/>'s keys (Host, Port, TlsMode, …).</param>
    /// <returns>The same builder, to chain calls.</returns>
    public static IPatientMessagingBuilder AddSmtpEmail(this IPatientMessagingBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<SmtpEmailOptions>().Bind(configuration);
        return AddCore(builder, SmtpEmailProvider.ProviderName, (configuration as IConfigurationSection)?.Path ?? string.Empty);
    }

    /// <summary>
    /// Adds a named SMTP registration (R26) — one organisation's own sender address and, where it has one, its own relay —
    /// with its options bound from a configuration section, e.g.
    /// <c>.AddSmtpEmail("northshire-smtp", configuration.GetSection("Messaging:Providers:Smtp:northshire"))</c>.
    /// </summary>
    /// <param name="builder">The messaging builder from <c>AddPatientMessaging()</c>.</param>
    /// <param name="name">
    /// The registration's name: the provider name recorded on each message it sends and the one <c>Messaging:Routes</c>
    /// names. 1 to 64 lower-case letters, digits or hyphens, starting with a letter. <c>smtp</c> is the default
    /// registration (the unnamed overloads).
    /// </param>
    /// <param name="configuration">The section holding this registration's <see cref="SmtpEmailOptions"/>; validation messages name keys under its path.</param>
    /// <returns>The same builder, to chain calls.</returns>
    /// <remarks>
    /// Each name has its own named options (validated at start-up), its own <see cref="IEmailProvider"/> named
    /// <paramref name="name"/> with its own connection pool, and so its own relay, credentials and <c>From</c>. Calling
    /// it again with the same name rebinds the options and adds nothing else. The bounce reader
    /// (<c>AddSmtpBounceReader</c>) reports for the default registration, <c>smtp</c>.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid provider name.</exception>
    public static IPatientMessagingBuilder AddSmtpEmail(this IPatientMessagingBuilder builder, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        CheckName(name);
        builder.Services.AddOptions<SmtpEmailOptions>(SmtpRegistrations.OptionsNameOf(name)).Bind(configuration);
        return AddCore(builder, name, (configuration as IConfigurationSection)?.Path ?? string.Empty);
    }

    /// <summary>Adds a named SMTP registration (R26) with its options set in code.</summary>
    /// <inheritdoc cref="AddSmtpEmail(IPatientMessagingBuilder, string, IConfiguration)" path="/remarks"/>
    /// <param name="builder">The messaging builder from <c>AddPatientMessaging()</c>.</param>
    /// <param name="name">The registration's name, as for <see cref="AddSmtpEmail(IPatientMessagingBuilder, string, IConfiguration)"/>.</param>
    /// <param name="configure">Sets the options; validation messages name them as under <c>Messaging:Providers:Smtp:{name}</c>.</param>
    /// <returns>The same builder, to chain calls.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid provider name.</exception>
    public static IPatientMessagingBuilder AddSmtpEmail(this IPatientMessagingBuilder builder, string name, Action<SmtpEmailOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        CheckName(name);
        builder.Services.AddOptions<SmtpEmailOptions>(SmtpRegistrations.OptionsNameOf(name)).Configure(configure);
        return AddCore(builder, name, string.Equals(name, SmtpEmailProvider.ProviderName, StringComparison.Ordinal) ? SmtpEmailOptions.SectionName : $"Messaging:Providers:Smtp:{name}");
    }

    private static void CheckName(string name)
    {
        if (!ProviderWebhookRoutes.IsValidName(name))
        {
            throw new ArgumentException("An SMTP registration's name must be 1 to 64 lower-case letters, digits or hyphens, starting with a letter (it is the provider name of its messages).", nameof(name));
        }
    }

    private static IPatientMessagingBuilder AddCore(IPatientMessagingBuilder builder, string name, string configurationPath)
    {
        var services = builder.Services;
        var registrations = services.FirstOrDefault(d => d.ServiceType == typeof(SmtpRegistrations))?.ImplementationInstance as SmtpRegistrations;
        if (registrations is null)
        {
            registrations = new SmtpRegistrations();
            services.AddSingleton(registrations);
        }

        var optionsName = SmtpRegistrations.OptionsNameOf(name);
        services.AddOptionsWithValidateOnStart<SmtpEmailOptions, SmtpEmailOptionsValidator>(optionsName);
#pragma warning disable RS0030 // A registration may name the system clock; AddPatientMessaging() or the host may have set another.
        services.TryAddSingleton<IClock>(SystemClock.Instance);
#pragma warning restore RS0030
        if (!registrations.Add(name, configurationPath))
        {
            return builder; // the same name again: its options are bound once more (validation names the latest path)
        }

        if (optionsName.Length == 0)
        {
            services.TryAddSingleton<SmtpEmailProvider>();
            services.AddSingleton<IEmailProvider>(static sp => sp.GetRequiredService<SmtpEmailProvider>());
        }
        else
        {
            services.AddKeyedSingleton(name, (sp, _) => new SmtpEmailProvider(
                name,
                sp.GetRequiredService<IOptionsMonitor<SmtpEmailOptions>>().Get(optionsName),
                sp.GetRequiredService<IClock>(),
                sp.GetService<Microsoft.Extensions.Logging.ILogger<SmtpEmailProvider>>()));
            services.AddSingleton<IEmailProvider>(sp => sp.GetRequiredKeyedService<SmtpEmailProvider>(name));
        }

        return builder;
    }
}
