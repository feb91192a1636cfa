using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using NodaTime;
using NodaTime.Testing;

namespace Messaging.Benchmarks.EfCore;

/// <summary>
/// A throwaway database for one benchmark process: a SQLite file under the temp directory, or a database of its own
/// on the PostgreSQL server named by MESSAGING_POSTGRES (start one with tools/peers/start-postgres.sh). The schema is
/// made by the store's own migrations.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    public const string Sqlite = "SQLite";
    public const string Postgres = "PostgreSQL";

    private readonly string? _sqlitePath;
    private readonly string? _postgresName;

    private BenchDatabase(string provider, string connectionString, string? sqlitePath, string? postgresName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _sqlitePath = sqlitePath;
        _postgresName = postgresName;
    }

    public string Provider { get; }

    public string ConnectionString { get; }

    public bool IsPostgres => Provider == Postgres;

    public ServiceProvider Services { get; private set; } = null!;

    public static async Task<BenchDatabase> CreateAsync(string provider)
    {
        BenchDatabase database;
        if (provider == Postgres)
        {
            var server = Environment.GetEnvironmentVariable("MESSAGING_POSTGRES")
                ?? throw new InvalidOperationException("Set MESSAGING_POSTGRES (eval \"$(bash tools/peers/start-postgres.sh)\") to benchmark PostgreSQL.");
            var name = $"messaging_bench_{Guid.NewGuid():N}";
            await using (var admin = new NpgsqlConnection(server))
            {
                await admin.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
                await create.ExecuteNonQueryAsync();
            }

            database = new BenchDatabase(provider, new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString, null, name);
        }
        else
        {
            var path = Path.Combine(Path.GetTempPath(), $"messaging-bench-{Guid.NewGuid():N}.db");
            database = new BenchDatabase(provider, $"Data Source={path}", path, null);
        }

        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2026, 11, 23, 9, 0)));
        services.AddPatientMessaging(o =>
        {
            o.PublicBaseUrl = new Uri("https://bench.example/m/");
            o.LinkKey = "bGluay1rZXktZm9yLXRlc3RzLW9ubHktMzItYnl0ZXMhIQ==";
        })
            .AddEntityFrameworkStore(db =>
            {
                if (database.IsPostgres)
                {
                    db.UseNpgsql(database.ConnectionString);
                }
                else
                {
                    db.UseSqlite(database.ConnectionString);
                }
            });
        database.Services = services.BuildServiceProvider();
        await database.Services.MigrateMessagingStoreAsync();
        return database;
    }

    /// <summary>An open ADO.NET connection to the database (pooled, as the store's are).</summary>
    public async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = IsPostgres ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>A Guid as the column holds it: uuid on PostgreSQL, EF Core's upper-case text on SQLite.</summary>
    public object Id(Guid id) => IsPostgres ? id : id.ToString().ToUpperInvariant();

    /// <summary>A UTC time as the column holds it: timestamptz on PostgreSQL, EF Core's text form on SQLite.</summary>
    public object Time(DateTime utc) => IsPostgres ? utc : utc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Refreshes the planner's statistics after a bulk load.</summary>
    public async Task AnalyzeAsync()
    {
        await using var connection = await OpenAsync();
        await using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE";
        analyze.CommandTimeout = 600;
        await analyze.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (_sqlitePath is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { _sqlitePath, _sqlitePath + "-wal", _sqlitePath + "-shm" })
            {
                File.Delete(file);
            }
        }

        if (_postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(Environment.GetEnvironmentVariable("MESSAGING_POSTGRES"));
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresName}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }
}

internal static class DbCommandExtensions
{
    /// <summary>Adds a positional parameter named @p0, @p1, … (both providers accept @names).</summary>
    public static DbCommand With(this DbCommand command, params object?[] values)
    {
        command.Parameters.Clear();
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            parameter.Value = values[i] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
