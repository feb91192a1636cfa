using Messaging.Storage.EfCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Creates and upgrades the EF Core store's schema when the host says so.</summary>
public static class MessagingStoreServiceProviderExtensions
{
    /// <summary>
    /// Applies the store's pending migrations (SQLite or PostgreSQL, whichever <c>AddEntityFrameworkStore</c> was given).
    /// Safe to call from several instances at once: EF Core serialises migrations with a database lock. Call it from
    /// start-up (<c>await app.Services.MigrateMessagingStoreAsync();</c>) or from a deployment step.
    /// </summary>
    /// <param name="services">The host's services (e.g. <c>IHost.Services</c>).</param>
    /// <param name="cancellationToken">Cancels the migration.</param>
    /// <exception cref="InvalidOperationException"><c>AddEntityFrameworkStore</c> was not called.</exception>
    public static Task MigrateMessagingStoreAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var migrator = services.GetService<MessagingStoreMigrator>()
            ?? throw new InvalidOperationException("The EF Core store is not registered: call .AddEntityFrameworkStore(db => ...) after AddPatientMessaging().");
        return migrator.MigrateAsync(cancellationToken);
    }
}
