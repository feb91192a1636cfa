using System.Globalization;
using Messaging.Storage.EfCore.Model;
using Messaging.Storage.EfCore.Tests.Support;
using Messaging.Testing.Peers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Messaging.Storage.EfCore.Tests.Inbox;

/// <summary>
/// R7: "a page costs the same at 1k and 1M conversations". The database's own planner must answer every inbox view and
/// filter by reading an index in order — no table scan, no sort of the whole view — on both databases.
/// </summary>
public abstract class InboxQueryPlanTests(TestDatabase database)
{
    private static readonly WorkspaceId Workspace = new("ws");
    private static readonly StaffId Reader = new("reader");

    public static TheoryData<string, ConversationStatusFilter, bool> Queries()
    {
        var data = new TheoryData<string, ConversationStatusFilter, bool>();
        foreach (var view in new[] { "staff", "team", "sentBy", "all" })
        {
            foreach (var status in new[] { ConversationStatusFilter.Any, ConversationStatusFilter.Open })
            {
                data.Add(view, status, false);
                data.Add(view, status, true);
            }
        }

        return data;
    }

    protected async Task<string> PlanAsync(string view, ConversationStatusFilter status, bool afterCursor)
    {
        await database.ResetAsync();
        var query = new InboxQuery
        {
            WorkspaceId = Workspace,
            View = view switch
            {
                "staff" => InboxView.AssignedTo(Reader),
                "team" => InboxView.AssignedTo(new TeamId("nurses")),
                "sentBy" => InboxView.SentBy(Reader),
                _ => InboxView.All,
            },
            Reader = Reader,
            Status = status,
            UnreadOnly = true,
            PageSize = 25,
            After = afterCursor ? new InboxCursor(Instant.FromUtc(2026, 1, 1, 0, 0), ConversationId.New()) : null,
        };
        var (sql, parameters) = EfCoreMessagingStore.InboxSql(query);
        await using var db = database.Services.GetRequiredService<MessagingDbContextFactory>().Create();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        foreach (var statement in Prelude)
        {
            command.CommandText = statement;
            await command.ExecuteNonQueryAsync();
        }

        for (var i = 0; i < parameters.Count; i++)
        {
            sql = sql.Replace($"{{{i}}}", $"@p{i}", StringComparison.Ordinal);
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            parameter.Value = Column(parameters[i]);
            command.Parameters.Add(parameter);
        }

        command.CommandText = Explain + sql;
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(reader.FieldCount - 1));
        }

        return string.Join(Environment.NewLine, plan);
    }

    protected abstract string Explain { get; }

    protected virtual IEnumerable<string> Prelude => [];

    /// <summary>A parameter as the column holds it.</summary>
    protected virtual object Column(object value) => value;
}

public sealed class SqliteInboxQueryPlanTests(SqliteTestDatabase database) : InboxQueryPlanTests(database), IClassFixture<SqliteTestDatabase>
{
    protected override string Explain => "EXPLAIN QUERY PLAN ";

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Every_inbox_query_reads_an_index_in_order(string view, ConversationStatusFilter status, bool afterCursor)
    {
        var plan = await PlanAsync(view, status, afterCursor);

        plan.Should().NotContain("TEMP B-TREE", "the page must come out of the index in order, not from a sort");
        plan.Should().MatchRegex(@"SEARCH (c|p) USING (COVERING )?INDEX ix_(conversations|conversation_participants)_inbox", "the view is read from its inbox index");
    }

    protected override object Column(object value) => value switch
    {
        Guid id => id.ToString().ToUpperInvariant(),
        DateTime at => at.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        _ => value,
    };
}

public sealed class PostgresInboxQueryPlanTests(PostgresTestDatabase database) : InboxQueryPlanTests(database), IClassFixture<PostgresTestDatabase>
{
    protected override string Explain => "EXPLAIN ";

    // On empty tables a scan is cheapest; forbidding scans and sorts shows whether an index can serve the query in order.
    protected override IEnumerable<string> Prelude => ["SET enable_seqscan = off", "SET enable_sort = off", "SET enable_bitmapscan = off"];

    [PeerTheory("MESSAGING_POSTGRES")]
    [MemberData(nameof(Queries))]
    public async Task Every_inbox_query_reads_an_index_in_order(string view, ConversationStatusFilter status, bool afterCursor)
    {
        var plan = await PlanAsync(view, status, afterCursor);

        plan.Should().NotContain("Sort", "the page must come out of the index in order");
        plan.Should().NotContain("Seq Scan");
        plan.Should().MatchRegex(@"Index (Only )?Scan Backward using ix_(conversations|conversation_participants)_inbox");
    }
}
