using Messaging.Health;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Patient Messaging SDK's health checks to ASP.NET Core / Microsoft.Extensions health checks.</summary>
public static class PatientMessagingHealthChecksBuilderExtensions
{
    /// <summary>The tag every check of the SDK carries, to map them on an endpoint of their own.</summary>
    public const string Tag = "patient-messaging";

    /// <summary>
    /// Adds the SDK's checks (R34), each tagged <see cref="Tag"/>:
    /// <list type="table">
    /// <item><term><c>messaging-store</c></term><description>the store answers a read (unhealthy when it does not)</description></item>
    /// <item><term><c>messaging-outbox</c></term><description>the due backlog and the age of the oldest due entry, degraded and then unhealthy past <see cref="MessagingHealthCheckOptions"/>'s thresholds (where the store implements <c>IOutboxBacklogReader</c>, as the in-memory and EF Core stores do)</description></item>
    /// <item><term><c>messaging-dispatcher</c></term><description>this instance's background dispatcher completed a round recently (healthy where it does not run here)</description></item>
    /// </list>
    /// </summary>
    /// <param name="builder">The health-checks builder <c>services.AddHealthChecks()</c> returned.</param>
    /// <param name="configure">Sets the thresholds; <see langword="null"/> keeps the defaults (or what the host bound from <c>Messaging:HealthChecks</c>).</param>
    /// <returns>The same builder.</returns>
    /// <remarks>
    /// Results carry counts, ages and exception type names only: no patient data, no connection detail. Needs
    /// <c>services.AddPatientMessaging(...)</c> and a store.
    /// </remarks>
    public static IHealthChecksBuilder AddPatientMessagingChecks(this IHealthChecksBuilder builder, Action<MessagingHealthCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<MessagingHealthCheckOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MessagingHealthCheckOptions>, MessagingHealthCheckOptionsValidator>());
        string[] tags = [Tag];
        builder.AddCheck<StoreHealthCheck>("messaging-store", HealthStatus.Unhealthy, tags);
        builder.AddCheck<OutboxHealthCheck>("messaging-outbox", HealthStatus.Unhealthy, tags);
        builder.AddCheck<DispatcherHealthCheck>("messaging-dispatcher", HealthStatus.Unhealthy, tags);
        return builder;
    }
}
