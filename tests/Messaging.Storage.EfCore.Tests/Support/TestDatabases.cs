using Messaging.Tests.Support;
using Messaging.Storage.EfCore.Model;
using Messaging.Testing.Peers;
using Messaging.Testing.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Messaging.Storage.EfCore.Tests.Support;

/// <summary>
/// One database per test class (a class fixture), created and migrated on first use through the public registration
/// and migration calls, and emptied before each test. Parallel test classes never share a database.
/// </summary>
public abstract class TestDatabase : IAsyncLifetime
{
    private ServiceProvider? _services;

    /// <summary>The services of a host registered with this database.</summary>
    public IServiceProvider Services => _services ?? throw new InvalidOperationException("Call ResetAsync first.");

    /// <summary>The store, with every table emptied.</summary>
    public async Task<IMessagingStore> ResetAsync()
    {
        if (_services is null)
        {
            await CreateAsync();
            _services = BuildServices(services => { });
            await _services.MigrateMessagingStoreAsync();
        }

        var contexts = _services.GetRequiredService<MessagingDbContextFactory>();
        await using var db = contexts.Create();
        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().ToList();
        await EmptyAsync(db, tables);
        return _services.GetRequiredService<IMessagingStore>();
    }

    /// <summary>A host's services on this database: the SDK with the EF store, plus whatever <paramref name="configure"/> adds.</summary>
    public ServiceProvider BuildServices(Action<IServiceCollection> configure) => BuildServices(configure, UseDatabase);

    /// <summary>As <see cref="BuildServices(Action{IServiceCollection})"/>, with EF Core configured by <paramref name="useDatabase"/>.</summary>
    public ServiceProvider BuildServices(Action<IServiceCollection> configure, Action<DbContextOptionsBuilder> useDatabase)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPatientMessaging(o =>
        {
            o.PublicBaseUrl = new Uri("https://ehr.example.nhs.uk/m/");
            o.LinkKey = TestSecrets.LinkKey;
        })
            .AddEntityFrameworkStore(useDatabase);
        configure(services);
        return services.BuildServiceProvider();
    }

    /// <summary>Configures EF Core for this database.</summary>
    public abstract void UseDatabase(DbContextOptionsBuilder db);

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }

    private protected abstract Task CreateAsync();

    private protected abstract Task EmptyAsync(MessagingDbContext db, IReadOnlyList<string> tables);
}

/// <summary>A SQLite database file of its own under the temp directory.</summary>
public sealed class SqliteTestDatabase : TestDatabase
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"messaging-test-{Guid.NewGuid():N}.db");

    public string ConnectionString => $"Data Source={_path}";

    public override void UseDatabase(DbContextOptionsBuilder db) => db.UseSqlite(ConnectionString);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    private protected override Task CreateAsync() => Task.CompletedTask;

    private protected override async Task EmptyAsync(MessagingDbContext db, IReadOnlyList<string> tables)
    {
        foreach (var table in tables)
        {
#pragma warning disable EF1002 // table names come from our own model
            await db.Database.ExecuteSqlRawAsync($"DELETE FROM \"{table}\"");
#pragma warning restore EF1002
        }
    }
}

/// <summary>
/// A PostgreSQL database of its own on the cluster <c>tools/peers/start-postgres.sh</c> started (MESSAGING_POSTGRES),
/// dropped when the class is done.
/// </summary>
public sealed class PostgresTestDatabase : TestDatabase
{
    private readonly string _name = $"messaging_test_{Guid.NewGuid():N}";
    private string? _connectionString;

    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("Not created yet.");

    public override void UseDatabase(DbContextOptionsBuilder db) => db.UseNpgsql(ConnectionString);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_connectionString is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(Peers.Get("MESSAGING_POSTGRES"));
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private protected override async Task CreateAsync()
    {
        var server = Peers.Get("MESSAGING_POSTGRES");
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        _connectionString = new NpgsqlConnectionStringBuilder(server) { Database = _name }.ConnectionString;
    }

    private protected override async Task EmptyAsync(MessagingDbContext db, IReadOnlyList<string> tables)
    {
#pragma warning disable EF1002 // table names come from our own model
        await db.Database.ExecuteSqlRawAsync($"TRUNCATE {string.Join(", ", tables.Select(t => $"\"{t}\""))} RESTART IDENTITY CASCADE");
#pragma warning restore EF1002
    }
}

/// <summary>
/// Runs a class's tests only where PostgreSQL is available: skipped with a reason locally without MESSAGING_POSTGRES,
/// run (and failing loudly if it is missing) when <c>MESSAGING_PEERS_REQUIRED=1</c>, as in CI.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class PostgresPeerAttribute : StoreConditionAttribute
{
    public override string? SkipReason
        => string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MESSAGING_POSTGRES")) && !Peers.Required
            ? "MESSAGING_POSTGRES is not set: run `bash tools/test.sh` (or tools/peers/start-postgres.sh) to start PostgreSQL."
            : null;
}
