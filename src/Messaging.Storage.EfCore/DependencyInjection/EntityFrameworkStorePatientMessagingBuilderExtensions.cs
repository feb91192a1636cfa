using Messaging.Storage;
using Messaging.Storage.EfCore;
using Messaging.Storage.EfCore.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps the SDK's data in SQLite or PostgreSQL through EF Core.</summary>
public static class EntityFrameworkStorePatientMessagingBuilderExtensions
{
    /// <summary>
    /// Uses the EF Core store. Configure the database as for any DbContext:
    /// <c>db =&gt; db.UseSqlite("Data Source=messaging.db")</c> for one instance (the embedded default), or
    /// <c>db =&gt; db.UseNpgsql(connectionString)</c> when several app instances share one database.
    /// </summary>
    /// <param name="builder">The builder from <c>AddPatientMessaging()</c>.</param>
    /// <param name="configure">Chooses and configures the database provider. It may be called more than once.</param>
    /// <returns>The builder, to chain more registrations.</returns>
    /// <remarks>
    /// The schema is created and upgraded by <see cref="MessagingStoreServiceProviderExtensions.MigrateMessagingStoreAsync"/>,
    /// which the host calls when it chooses (typically once at start-up, before serving requests). Contexts are pooled;
    /// the store is a singleton. SQLite databases are switched to WAL journaling on migration, so reads never wait for
    /// the writer.
    /// </remarks>
    public static IPatientMessagingBuilder AddEntityFrameworkStore(this IPatientMessagingBuilder builder, Action<DbContextOptionsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.TryAddSingleton(_ => new MessagingDbContextFactory(configure));
        builder.Services.TryAddSingleton<IMessagingStore, EfCoreMessagingStore>();
        builder.Services.TryAddSingleton<MessagingStoreMigrator>();
        return builder;
    }
}
