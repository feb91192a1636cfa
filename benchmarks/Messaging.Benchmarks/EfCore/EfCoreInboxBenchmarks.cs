using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace Messaging.Benchmarks.EfCore;

/// <summary>
/// R7 on a real database: the first page of "assigned to me" (open, 25 rows) through <c>IInboxService</c> — membership
/// check, then the keyset query with the reader's unread state — with 10k and 1M conversations in the workspace.
/// A fifth are the reader's, a quarter done, one in ten has a read position of the reader's. Seeded with COPY
/// (PostgreSQL) or one prepared insert in one transaction (SQLite), then ANALYZE.
/// </summary>
[MemoryDiagnoser]
public class EfCoreInboxBenchmarks
{
    private static readonly OrganisationId Org = new("bench-org");
    private static readonly WorkspaceId Workspace = new("bench-ws");
    private static readonly StaffId Me = new("me");
    private static readonly string[] Colleagues = ["c1", "c2", "c3", "c4"];

    private BenchDatabase _database = null!;
    private IInboxService _inbox = null!;
    private InboxRequest _request = null!;

    [Params(BenchDatabase.Sqlite, BenchDatabase.Postgres)]
    public string Database { get; set; } = BenchDatabase.Sqlite;

    [Params(10_000, 1_000_000)]
    public int Conversations { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _database = await BenchDatabase.CreateAsync(Database);
        await _database.Services.GetRequiredService<IWorkspaceService>().CreateOrganisationAsync(new CreateOrganisationRequest
        {
            OrganisationId = Org, Name = "Bench trust", DefaultWorkspaceId = Workspace, FirstAdmin = new NewMember(Me, "me@bench.example", "Me"),
        });
        if (_database.IsPostgres)
        {
            await SeedPostgresAsync();
        }
        else
        {
            await SeedSqliteAsync();
        }

        await _database.AnalyzeAsync();
        _inbox = _database.Services.GetRequiredService<IInboxService>();
        _request = new InboxRequest { WorkspaceId = Workspace, View = InboxView.AssignedTo(Me), Status = ConversationStatusFilter.Open, PageSize = 25 };
        var first = await FirstPage();
        if (first.Items.Count != 25)
        {
            throw new InvalidOperationException("The seeded inbox should fill the first page.");
        }
    }

    [GlobalCleanup]
    public Task CleanupAsync() => _database.DisposeAsync().AsTask();

    [Benchmark(Description = "first page, assigned to me, open, 25 rows")]
    public Task<InboxResult> FirstPage() => _inbox.GetPageAsync(Me, _request);

    /// <summary>The seeded rows, the same for both databases (seeded random).</summary>
    private IEnumerable<(Guid Id, string Owner, string Status, DateTime LastActivity, long Sequence, bool HasReadPosition)> Rows()
    {
        var random = new Random(42);
        var start = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < Conversations; i++)
        {
            var owner = i % 5 == 0 ? Me.Value : Colleagues[random.Next(Colleagues.Length)];
            var status = random.Next(4) == 0 ? "Done" : "Open";
            var lastActivity = start.AddSeconds(random.Next(0, 150_000_000));
            yield return (Guid.NewGuid(), owner, status, lastActivity, random.Next(0, 3), i % 10 == 0);
        }
    }

    private async Task SeedPostgresAsync()
    {
        await using var connection = (NpgsqlConnection)await _database.OpenAsync();
        var rows = Rows().ToList();
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY conversations (id, organisation_id, workspace_id, patient_id, started_by, assignee_kind, assignee_id, status, participants, created_at, last_activity_at, activity_sequence, version) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var r in rows)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(r.Id, NpgsqlDbType.Uuid);
                await copy.WriteAsync(Org.Value, NpgsqlDbType.Varchar);
                await copy.WriteAsync(Workspace.Value, NpgsqlDbType.Varchar);
                await copy.WriteAsync($"p{r.Id.GetHashCode() & 4095}", NpgsqlDbType.Varchar);
                await copy.WriteAsync(r.Owner, NpgsqlDbType.Varchar);
                await copy.WriteAsync("Staff", NpgsqlDbType.Varchar);
                await copy.WriteAsync(r.Owner, NpgsqlDbType.Varchar);
                await copy.WriteAsync(r.Status, NpgsqlDbType.Varchar);
                await copy.WriteAsync(JsonSerializer.Serialize(new[] { r.Owner }), NpgsqlDbType.Text);
                await copy.WriteAsync(r.LastActivity, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(r.LastActivity, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(r.Sequence, NpgsqlDbType.Bigint);
                await copy.WriteAsync(1L, NpgsqlDbType.Bigint);
            }

            await copy.CompleteAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY conversation_participants (conversation_id, staff_id, workspace_id, status, last_activity_at) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var r in rows)
            {
                await copy.WriteRowAsync(default, r.Id, r.Owner, Workspace.Value, r.Status, r.LastActivity);
            }

            await copy.CompleteAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY read_positions (conversation_id, staff_id, read_up_to, marked_unread) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var r in rows.Where(r => r.HasReadPosition))
            {
                await copy.WriteRowAsync(default, r.Id, Me.Value, r.Sequence, false);
            }

            await copy.CompleteAsync();
        }
    }

    private async Task SeedSqliteAsync()
    {
        await using var connection = (SqliteConnection)await _database.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        var conversation = Prepared(connection, transaction,
            "INSERT INTO conversations (id, organisation_id, workspace_id, patient_id, started_by, assignee_kind, assignee_id, status, participants, created_at, last_activity_at, activity_sequence, version) "
            + "VALUES (@p0, @p1, @p2, @p3, @p4, 'Staff', @p4, @p5, @p6, @p7, @p7, @p8, 1)", 9);
        var participant = Prepared(connection, transaction,
            "INSERT INTO conversation_participants (conversation_id, staff_id, workspace_id, status, last_activity_at) VALUES (@p0, @p1, @p2, @p3, @p4)", 5);
        var read = Prepared(connection, transaction,
            "INSERT INTO read_positions (conversation_id, staff_id, read_up_to, marked_unread) VALUES (@p0, @p1, @p2, 0)", 3);
        foreach (var r in Rows())
        {
            var id = _database.Id(r.Id);
            var at = _database.Time(r.LastActivity);
            await Run(conversation, id, Org.Value, Workspace.Value, $"p{r.Id.GetHashCode() & 4095}", r.Owner, r.Status, JsonSerializer.Serialize(new[] { r.Owner }), at, r.Sequence);
            await Run(participant, id, r.Owner, Workspace.Value, r.Status, at);
            if (r.HasReadPosition)
            {
                await Run(read, id, Me.Value, r.Sequence);
            }
        }

        await transaction.CommitAsync();
    }

    private static SqliteCommand Prepared(SqliteConnection connection, SqliteTransaction transaction, string sql, int parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 0; i < parameters; i++)
        {
            command.Parameters.Add(new SqliteParameter($"@p{i}", null));
        }

        command.Prepare();
        return command;
    }

    private static Task<int> Run(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }

        return command.ExecuteNonQueryAsync();
    }
}
