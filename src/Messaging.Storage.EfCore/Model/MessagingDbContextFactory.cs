using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Messaging.Storage.EfCore.Model;

/// <summary>
/// Hands out pooled contexts of the provider-specific subclass that matches what the host configured
/// (<c>UseSqlite</c> → <see cref="SqliteMessagingDbContext"/>, <c>UseNpgsql</c> → <see cref="PostgresMessagingDbContext"/>),
/// so each provider runs with its own model and migrations.
/// </summary>
internal sealed class MessagingDbContextFactory
{
    private readonly Func<MessagingDbContext> _create;

    public MessagingDbContextFactory(Action<DbContextOptionsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        IsPostgres = DetectPostgres(configure);
        if (IsPostgres)
        {
            var options = new DbContextOptionsBuilder<PostgresMessagingDbContext>();
            configure(options);
            var pool = new PooledDbContextFactory<PostgresMessagingDbContext>(options.Options);
            _create = pool.CreateDbContext;
        }
        else
        {
            var options = new DbContextOptionsBuilder<SqliteMessagingDbContext>();
            configure(options);
            var pool = new PooledDbContextFactory<SqliteMessagingDbContext>(options.Options);
            _create = pool.CreateDbContext;
        }
    }

    /// <summary>Whether the database is PostgreSQL; otherwise it is SQLite.</summary>
    public bool IsPostgres { get; }

    /// <summary>A context from the pool; dispose it to return it.</summary>
    public MessagingDbContext Create() => _create();

    private static bool DetectPostgres(Action<DbContextOptionsBuilder> configure)
    {
        var probe = new DbContextOptionsBuilder();
        configure(probe);
        if (!probe.Options.Extensions.Any(e => e.Info.IsDatabaseProvider))
        {
            throw new InvalidOperationException(
                "AddEntityFrameworkStore needs a database: configure it with db.UseSqlite(connectionString) or db.UseNpgsql(connectionString).");
        }

        using var context = new DbContext(probe.Options);
        if (context.Database.IsNpgsql())
        {
            return true;
        }

        if (context.Database.IsSqlite())
        {
            return false;
        }

        throw new InvalidOperationException(
            $"AddEntityFrameworkStore supports SQLite (db.UseSqlite) and PostgreSQL (db.UseNpgsql), not '{context.Database.ProviderName}'. "
            + "Implement IMessagingStore for another database and run the conformance kit in Messaging.Testing against it.");
    }
}
