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
        return AddCore(builder, SmtpEmailOptions.SectionName);
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
        return AddCore(builder, SmtpEmailOptions.SectionName);
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
        return AddCore(builder, (configuration as IConfigurationSection)?.Path ?? string.Empty);
    }

    private static IPatientMessagingBuilder AddCore(IPatientMessagingBuilder builder, string configurationPath)
    {
        var services = builder.Services;
        services.AddOptions<SmtpEmailOptions>().ValidateOnStart();

        // One validator, naming keys under the path of the latest registration.
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(IValidateOptions<SmtpEmailOptions>) && services[i].ImplementationInstance is SmtpEmailOptionsValidator)
            {
                services.RemoveAt(i);
            }
        }

        services.AddSingleton<IValidateOptions<SmtpEmailOptions>>(new SmtpEmailOptionsValidator(configurationPath));

#pragma warning disable RS0030 // A registration may name the system clock; AddPatientMessaging() or the host may have set another.
        services.TryAddSingleton<IClock>(SystemClock.Instance);
#pragma warning restore RS0030
        services.TryAddSingleton<SmtpEmailProvider>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEmailProvider, SmtpEmailProvider>(static sp => sp.GetRequiredService<SmtpEmailProvider>()));
        return builder;
    }
}
