using Messaging;
using Messaging.Notifications;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures the emails the SDK sends by itself and the staff notifications that send them (R9, R17, R18).</summary>
public static class SystemEmailsPatientMessagingBuilderExtensions
{
    /// <summary>Overrides the emails the SDK sends by itself (notifications, Direct-Message links); validated at start-up.</summary>
    /// <param name="builder">The patient-messaging builder.</param>
    /// <param name="configure">Sets the templates.</param>
    /// <returns>The builder.</returns>
    public static IPatientMessagingBuilder ConfigureSystemEmails(this IPatientMessagingBuilder builder, Action<SystemEmailOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>System emails and staff notifications: called by <c>AddPatientMessaging</c>.</summary>
    internal static void AddSystemEmailsAndNotifications(IServiceCollection services)
    {
        services.AddOptions<SystemEmailOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SystemEmailOptions>, SystemEmailOptionsValidator>());
        services.TryAddSingleton<SystemEmails>();
        services.TryAddSingleton<StaffNotifier>();
        services.TryAddSingleton<INotificationService, NotificationService>();
    }
}
