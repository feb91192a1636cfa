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

    // SQLite has one writer at a time. A second connection's BEGIN IMMEDIATE gets SQLITE_BUSY, and Microsoft.Data.Sqlite
    // then sleeps before it tries again, so in one process a send and the dispatcher's claim waited on each other for a
    // retry interval (p50 ~150 ms from send to provider). Writers of this process queue here instead, and the next one
    // starts the moment the previous commits; another process on the same file still gets the driver's retries.
    private readonly SemaphoreSlim _sqliteWriter = new(1, 1);

    /// <summary>
    /// On SQLite, waits for this process's turn to write and returns what ends it; on PostgreSQL, returns at once (its
    /// writers run concurrently under row locks).
    /// </summary>
    public async ValueTask<WriterTurn> EnterWriterAsync(CancellationToken cancellationToken)
    {
        if (IsPostgres)
        {
            return default;
        }

        await _sqliteWriter.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new WriterTurn(_sqliteWriter);
    }

    /// <summary>A writer's turn; disposing it lets the next writer in.</summary>
    internal readonly struct WriterTurn(SemaphoreSlim? gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }

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
