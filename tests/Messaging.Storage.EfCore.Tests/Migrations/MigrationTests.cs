using System.Data.Common;
using System.Reflection;
using Messaging.Storage.EfCore.Model;
using Messaging.Storage.EfCore.Tests.Support;
using Messaging.Testing.Peers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Messaging.Storage.EfCore.Tests.Migrations;

/// <summary>
/// Each provider ships exactly one migration set whose migrations build the schema the model describes: a fresh
/// database migrated through the public calls has exactly <see cref="ExpectedMigrations"/> applied, EF sees no model change without a
/// migration, and its tables, columns, defaults, keys, indexes (with their filters) and check constraints equal those
/// of a database EF creates straight from the model. Changing <c>Model/</c> without adding a migration fails here.
/// </summary>
public abstract class MigrationTests
{
    /// <summary>Each provider's migrations, oldest first, under the same names; a new migration is added to the end.</summary>
    internal static readonly string[] ExpectedMigrations = ["InitialSchema", "OneActiveReplyTokenPerConversation", "MemberWorkspacesIndex", "OptionalNhsNumberAndPurchases"];

    /// <summary>The provider's context type (<see cref="SqliteMessagingDbContext"/> or <see cref="PostgresMessagingDbContext"/>).</summary>
    protected abstract Type ContextType { get; }

    /// <summary>A context on the provider whose connection is never opened: enough to ask EF about the migrations it finds.</summary>
    private protected abstract MessagingDbContext CreateOfflineContext();

    /// <summary>A fresh, empty database, migrated on first <see cref="TestDatabase.ResetAsync"/>.</summary>
    protected abstract TestDatabase CreateDatabase();

    /// <summary>A context on a database that does not exist yet, for <c>EnsureCreated</c> (from the model) and <c>EnsureDeleted</c>.</summary>
    private protected abstract MessagingDbContext CreateModelOnlyContext();

    /// <summary>The schema as the database reports it, one sorted line per column, index, key or constraint (EF's migration history and lock tables excluded).</summary>
    protected abstract Task<IReadOnlyList<string>> DescribeSchemaAsync(DbConnection connection);

    protected void EF_finds_exactly_the_expected_internal_migrations_for_the_context()
    {
        using var db = CreateOfflineContext();
        db.GetType().Should().Be(ContextType);
        var assembly = db.GetService<IMigrationsAssembly>();

        assembly.Migrations.Keys.Should().AllSatisfy(id => id.Should().MatchRegex("^[0-9]{14}_[A-Za-z0-9]+$"));
        assembly.Migrations.Keys.Order(StringComparer.Ordinal).Select(NameOf).Should().Equal(ExpectedMigrations);
        foreach (var migration in assembly.Migrations.Values)
        {
            migration.Name.Should().Be(NameOf(migration.GetCustomAttribute<MigrationAttribute>()!.Id));
            migration.IsVisible.Should().BeFalse("migrations are not part of the package's public API");
            migration.GetCustomAttribute<DbContextAttribute>()!.ContextType.Should().Be(ContextType);
        }

        assembly.ModelSnapshot.Should().NotBeNull();
        assembly.ModelSnapshot!.GetType().IsVisible.Should().BeFalse("model snapshots are not part of the package's public API");
        db.Database.GetMigrations().Should().Equal(assembly.Migrations.Keys);
    }

    protected void The_model_has_no_changes_the_migrations_lack()
    {
        using var db = CreateOfflineContext();
        db.Database.HasPendingModelChanges().Should().BeFalse(
            "Model/ changed without a migration: add one for both providers (src/Messaging.Storage.EfCore/README.md, 'Adding a migration')");
    }

    protected async Task Migrating_a_fresh_database_applies_the_expected_migrations_and_leaves_nothing_pending()
    {
        var database = CreateDatabase();
        try
        {
            await database.ResetAsync(); // creates the database and runs MigrateMessagingStoreAsync
            await using var db = database.Services.GetRequiredService<MessagingDbContextFactory>().Create();
            db.GetType().Should().Be(ContextType);

            var applied = (await db.Database.GetAppliedMigrationsAsync()).ToList();
            applied.Order(StringComparer.Ordinal).Select(NameOf).Should().Equal(ExpectedMigrations);
            applied.Should().Equal(db.Database.GetMigrations());
            (await db.Database.GetPendingMigrationsAsync()).Should().BeEmpty();
            db.Database.HasPendingModelChanges().Should().BeFalse();
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    protected async Task The_migrated_schema_is_the_schema_the_model_creates()
    {
        var database = CreateDatabase();
        try
        {
            await database.ResetAsync();
            IReadOnlyList<string> migrated;
            await using (var db = database.Services.GetRequiredService<MessagingDbContextFactory>().Create())
            {
                await db.Database.OpenConnectionAsync();
                migrated = await DescribeSchemaAsync(db.Database.GetDbConnection());
                await db.Database.CloseConnectionAsync();
            }

            IReadOnlyList<string> fromModel;
            await using (var model = CreateModelOnlyContext())
            {
                try
                {
                    (await model.Database.EnsureCreatedAsync()).Should().BeTrue("the database must be new");
                    await model.Database.OpenConnectionAsync();
                    fromModel = await DescribeSchemaAsync(model.Database.GetDbConnection());
                    await model.Database.CloseConnectionAsync();
                }
                finally
                {
                    await model.Database.EnsureDeletedAsync();
                }
            }

            migrated.Except(fromModel).Should().BeEmpty("the migrations create these but the model does not");
            fromModel.Except(migrated).Should().BeEmpty("the model has these but the migrations do not create them");
            migrated.Should().Equal(fromModel);

            // The description must see what the migrations would most easily lose, or equality proves nothing.
            migrated.Should().Contain(line => line.Contains("ck_credit_balances_not_negative", StringComparison.Ordinal));
            migrated.Should().Contain(line => line.Contains("ux_message_templates_shared_name", StringComparison.Ordinal)
                                              && line.Contains("is_shared", StringComparison.Ordinal));
            migrated.Should().Contain(line => line.Contains("messages.attachments", StringComparison.Ordinal)
                                              && line.Contains("'[]'", StringComparison.Ordinal));
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    /// <summary>
    /// OptionalNhsNumberAndPurchases on a database with data: each existing ledger entry gets the running balance after
    /// it, a purchase reference recorded twice keeps its first entry and the later one is made distinct (so the unique
    /// index builds and nothing is lost), and afterwards many patients may have no NHS number.
    /// </summary>
    protected async Task Upgrading_a_ledger_with_data_backfills_balances_and_keeps_duplicate_purchases()
    {
        await using var db = CreateModelOnlyContext();
        try
        {
            var migrator = db.GetService<IMigrator>();
            var previous = db.Database.GetMigrations().Single(id => NameOf(id) == "MemberWorkspacesIndex");
            await migrator.MigrateAsync(previous);
            var at = new DateTime(2026, 11, 1, 9, 0, 0, DateTimeKind.Utc);
            foreach (var (kind, amount, reference) in new[] { ("Purchase", 10, (string?)"PAY-1"), ("Charge", -3, null), ("Purchase", 10, "PAY-1") })
            {
                await db.Database.ExecuteSqlAsync(
                    $"INSERT INTO credit_ledger (id, organisation_id, kind, amount, message_id, at, reference) VALUES ({Guid.NewGuid()}, {"org"}, {kind}, {amount}, {(Guid?)null}, {at}, {reference})");
            }

            await migrator.MigrateAsync();

            var rows = await db.Database.SqlQueryRaw<LedgerRow>(
                "SELECT amount AS \"Amount\", balance_after AS \"BalanceAfter\", reference AS \"Reference\" FROM credit_ledger ORDER BY position").ToListAsync();
            rows.Select(r => r.BalanceAfter).Should().Equal(10, 7, 17);
            rows[0].Reference.Should().Be("PAY-1");
            rows[2].Reference.Should().StartWith("PAY-1 #").And.NotBe("PAY-1");
            for (var i = 1; i <= 2; i++)
            {
                await db.Database.ExecuteSqlAsync(
                    $"INSERT INTO patients (organisation_id, id, nhs_number, date_of_birth, given_name, family_name, updated_at) VALUES ({"org"}, {"client-" + i}, {(string?)null}, {new DateOnly(1990, 1, 1)}, {"Sam"}, {"Green"}, {at})");
            }
        }
        finally
        {
            await db.Database.EnsureDeletedAsync();
        }
    }

    private sealed record LedgerRow(int Amount, int BalanceAfter, string? Reference);

    /// <summary>The name part of a migration id (<c>20261203131951_InitialSchema</c> → <c>InitialSchema</c>).</summary>
    internal static string NameOf(string migrationId) => migrationId[(migrationId.IndexOf('_', StringComparison.Ordinal) + 1)..];

    private protected static async Task<List<string>> QueryLinesAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }
}

public sealed class SqliteMigrationTests : MigrationTests
{
    protected override Type ContextType => typeof(SqliteMessagingDbContext);

    private protected override MessagingDbContext CreateOfflineContext()
        => new SqliteMessagingDbContext(new DbContextOptionsBuilder<SqliteMessagingDbContext>().UseSqlite("Data Source=never-opened.db").Options);

    protected override TestDatabase CreateDatabase() => new SqliteTestDatabase();

    private protected override MessagingDbContext CreateModelOnlyContext()
    {
        var path = Path.Combine(Path.GetTempPath(), $"messaging-model-{Guid.NewGuid():N}.db");
        return new SqliteMessagingDbContext(new DbContextOptionsBuilder<SqliteMessagingDbContext>().UseSqlite($"Data Source={path};Pooling=False").Options);
    }

    protected override async Task<IReadOnlyList<string>> DescribeSchemaAsync(DbConnection connection)
    {
        const string tables = "m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT IN ('__EFMigrationsHistory', '__EFMigrationsLock')";
        var lines = await QueryLinesAsync(connection, $"""
            SELECT 'column ' || m.name || '.' || c.name || ' ' || c.type || ' notnull=' || c."notnull" || ' default=' || coalesce(c.dflt_value, '-') || ' pk=' || c.pk
              FROM sqlite_master m, pragma_table_info(m.name) c WHERE {tables}
            UNION ALL
            SELECT 'index ' || m.name || ' ' || i.name || ' unique=' || i."unique" || ' origin=' || i.origin || ' partial=' || i.partial
                   || ' where=' || coalesce(substr(s.sql, instr(s.sql, ' WHERE ') + 7), '-')
              FROM sqlite_master m, pragma_index_list(m.name) i LEFT JOIN sqlite_master s ON s.type = 'index' AND s.name = i.name AND s.sql LIKE '% WHERE %'
             WHERE {tables}
            UNION ALL
            SELECT 'index column ' || i.name || ' ' || x.seqno || ' ' || x.name || ' desc=' || x."desc" || ' ' || x.coll
              FROM sqlite_master m, pragma_index_list(m.name) i, pragma_index_xinfo(i.name) x WHERE {tables} AND x.key = 1
            UNION ALL
            SELECT 'foreign key ' || m.name || ' ' || f.id || '.' || f.seq || ' ' || f."from" || ' -> ' || f."table" || '.' || f."to"
                   || ' on update ' || f.on_update || ' on delete ' || f.on_delete
              FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE {tables}
            """);

        // Check constraints and AUTOINCREMENT are only in the CREATE TABLE text, one clause per line as EF writes it.
        foreach (var create in await QueryLinesAsync(connection, $"SELECT m.name || char(10) || m.sql FROM sqlite_master m WHERE {tables}"))
        {
            var table = create[..create.IndexOf('\n', StringComparison.Ordinal)];
            lines.AddRange(create.Split('\n')
                .Where(line => line.Contains(" CHECK ", StringComparison.Ordinal) || line.Contains("AUTOINCREMENT", StringComparison.Ordinal))
                .Select(line => $"clause {table} {line.Trim().TrimEnd(',')}"));
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    [Fact]
    public void EF_finds_exactly_the_expected_migrations_and_they_are_internal() => EF_finds_exactly_the_expected_internal_migrations_for_the_context();

    [Fact]
    public void The_model_has_no_changes_without_a_migration() => The_model_has_no_changes_the_migrations_lack();

    [Fact]
    public Task A_fresh_database_gets_exactly_the_expected_migrations_and_nothing_is_pending() => Migrating_a_fresh_database_applies_the_expected_migrations_and_leaves_nothing_pending();

    [Fact]
    public Task The_migrated_schema_equals_the_models() => The_migrated_schema_is_the_schema_the_model_creates();
    [Fact]
    public Task Upgrading_a_ledger_with_data_backfills_balances_and_keeps_duplicate_purchases_on_sqlite() => Upgrading_a_ledger_with_data_backfills_balances_and_keeps_duplicate_purchases();
}

public sealed class PostgresMigrationTests : MigrationTests
{
    protected override Type ContextType => typeof(PostgresMessagingDbContext);

    private protected override MessagingDbContext CreateOfflineContext()
        => new PostgresMessagingDbContext(new DbContextOptionsBuilder<PostgresMessagingDbContext>().UseNpgsql("Host=never-opened.invalid;Database=none").Options);

    protected override TestDatabase CreateDatabase() => new PostgresTestDatabase();

    private protected override MessagingDbContext CreateModelOnlyContext()
    {
        var connection = new NpgsqlConnectionStringBuilder(Peers.Get("MESSAGING_POSTGRES")) { Database = $"messaging_model_{Guid.NewGuid():N}" };
        return new PostgresMessagingDbContext(new DbContextOptionsBuilder<PostgresMessagingDbContext>().UseNpgsql(connection.ConnectionString).Options);
    }

    protected override async Task<IReadOnlyList<string>> DescribeSchemaAsync(DbConnection connection)
    {
        var lines = await QueryLinesAsync(connection, """
            SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '')
                   || ' ' || udt_name || ' nullable=' || is_nullable || ' default=' || coalesce(column_default, '-')
                   || ' identity=' || is_identity || coalesce(' ' || identity_generation, '') || ' generated=' || is_generated
              FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '__EFMigrationsHistory'
            UNION ALL
            SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
              FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '"__EFMigrationsHistory"'
            UNION ALL
            SELECT 'index ' || tablename || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory'
            UNION ALL
            SELECT 'sequence ' || sequencename || ' ' || data_type::text || ' start=' || start_value || ' increment=' || increment_by
              FROM pg_sequences WHERE schemaname = 'public'
            UNION ALL
            SELECT 'extension ' || extname FROM pg_extension WHERE extname <> 'plpgsql'
            UNION ALL
            SELECT 'function ' || proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace
            UNION ALL
            SELECT 'trigger ' || c.relname || ' ' || t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
             WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal
            UNION ALL
            SELECT 'comment ' || c.relname || ' ' || d.objsubid || ' ' || d.description FROM pg_description d JOIN pg_class c ON c.oid = d.objoid
             WHERE c.relnamespace = 'public'::regnamespace
            """);
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    [Fact]
    public void EF_finds_exactly_the_expected_migrations_and_they_are_internal() => EF_finds_exactly_the_expected_internal_migrations_for_the_context();

    [Fact]
    public void The_model_has_no_changes_without_a_migration() => The_model_has_no_changes_the_migrations_lack();

    [PeerFact("MESSAGING_POSTGRES")]
    public Task A_fresh_database_gets_exactly_the_expected_migrations_and_nothing_is_pending() => Migrating_a_fresh_database_applies_the_expected_migrations_and_leaves_nothing_pending();

    [PeerFact("MESSAGING_POSTGRES")]
    public Task The_migrated_schema_equals_the_models() => The_migrated_schema_is_the_schema_the_model_creates();
    [PeerFact("MESSAGING_POSTGRES")]
    public Task Upgrading_a_ledger_with_data_backfills_balances_and_keeps_duplicate_purchases_on_postgres() => Upgrading_a_ledger_with_data_backfills_balances_and_keeps_duplicate_purchases();
}

/// <summary>Across the whole store assembly: one migration set per provider context, none of it public.</summary>
public sealed class MigrationAssemblyTests
{
    private static readonly Type[] Types = typeof(MessagingDbContext).Assembly.GetTypes();

    [Fact]
    public void Each_provider_context_has_the_same_migrations_and_one_snapshot()
    {
        static Type? ContextOf(Type type) => type.GetCustomAttribute<DbContextAttribute>()?.ContextType;
        Type[] contexts = [typeof(SqliteMessagingDbContext), typeof(PostgresMessagingDbContext)];
        var migrations = Types.Where(t => !t.IsAbstract && typeof(Migration).IsAssignableFrom(t)).ToList();
        var snapshots = Types.Where(t => !t.IsAbstract && typeof(ModelSnapshot).IsAssignableFrom(t)).ToList();

        migrations.Select(ContextOf).Distinct().Should().BeEquivalentTo(contexts, "every migration belongs to one provider's context");
        snapshots.Select(ContextOf).Should().BeEquivalentTo(contexts, "each provider has exactly one model snapshot");
        foreach (var context in contexts)
        {
            // The same migrations, under the same names, for each provider context.
            migrations.Where(t => ContextOf(t) == context)
                .Select(t => t.GetCustomAttribute<MigrationAttribute>()!.Id).Order(StringComparer.Ordinal)
                .Select(MigrationTests.NameOf)
                .Should().Equal(MigrationTests.ExpectedMigrations, $"{context.Name}'s migrations");
        }
    }

    [Fact]
    public void No_migration_or_snapshot_is_public()
        => Types.Where(t => typeof(Migration).IsAssignableFrom(t) || typeof(ModelSnapshot).IsAssignableFrom(t))
            .Where(t => t.IsVisible)
            .Should().BeEmpty("dotnet-ef writes migrations public: change `public partial class` to `internal partial class` (README, 'Adding a migration')");
}
