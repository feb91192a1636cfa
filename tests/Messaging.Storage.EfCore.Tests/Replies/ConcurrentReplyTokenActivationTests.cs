using Messaging.Storage.EfCore.Tests.Support;
using Messaging.Testing.Peers;
using NodaTime;
using Npgsql;

namespace Messaging.Storage.EfCore.Tests.Replies;

/// <summary>
/// R29 on PostgreSQL under READ COMMITTED, with real concurrent transactions: two messages of one conversation reach the
/// provider at once and both activate their reply tokens. Another instance's activation (the same writes the store makes)
/// is held open in its own transaction while the store activates the other token; only then does it commit. Exactly one
/// token may be active afterwards — the newest — or the patient could reply twice.
/// </summary>
public sealed class ConcurrentReplyTokenActivationTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 11, 23, 9, 0);

    [PeerTheory("MESSAGING_POSTGRES")]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Two_concurrent_activations_leave_exactly_the_newest_token_active(bool storeActivatesTheNewer)
    {
        var store = await database.ResetAsync();
        var conversation = ConversationId.New();
        var working = Token(conversation, T0, ReplyTokenState.Active);
        var older = Token(conversation, T0 + Duration.FromMinutes(1), ReplyTokenState.Pending);
        var newer = Token(conversation, T0 + Duration.FromMinutes(2), ReplyTokenState.Pending);
        await WriteAsync(store, work =>
        {
            work.IssueReplyToken(working);
            work.IssueReplyToken(older);
            work.IssueReplyToken(newer);
        });
        var (rivals, mine) = storeActivatesTheNewer ? (older, newer) : (newer, older);

        await using var rival = new NpgsqlConnection(database.ConnectionString);
        await rival.OpenAsync();
        await using var rivalTransaction = await rival.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted);
        await ExecuteAsync(rival, "UPDATE reply_tokens SET state = 'Superseded' WHERE conversation_id = @c AND state = 'Active'", ("c", conversation.Value));
        await ExecuteAsync(rival, "UPDATE reply_tokens SET state = 'Active' WHERE token_hash = @h AND state = 'Pending'", ("h", rivals.TokenHash));

        var activation = Task.Run(() => WriteAsync(store, work => work.ActivateReplyToken(mine.TokenHash)));
        await Task.WhenAny(activation, WaitForALockWaitAsync()); // it queues behind the rival's row locks
        await rivalTransaction.CommitAsync();
        await activation;

        var states = new[] { working, older, newer }.Select(t => store.FindReplyTokenAsync(t.TokenHash).AsTask()).ToArray();
        (await Task.WhenAll(states)).Select(t => t!.State).Should().Equal(ReplyTokenState.Superseded, ReplyTokenState.Superseded, ReplyTokenState.Active);
    }

    private static ReplyToken Token(ConversationId conversation, Instant issuedAt, ReplyTokenState state) => new()
    {
        TokenHash = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"),
        OrganisationId = new OrganisationId("org"),
        ConversationId = conversation,
        MessageId = MessageId.New(),
        PatientId = new PatientId("p-1"),
        IssuedAt = issuedAt,
        ExpiresAt = issuedAt + Duration.FromDays(7),
        State = state,
    };

    private static async Task WriteAsync(IMessagingStore store, Action<IMessagingUnitOfWork> stage)
    {
        var work = await store.BeginAsync();
        await using (work)
        {
            stage(work);
            await work.CommitAsync();
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Completes once a backend of this database waits for a lock (the signal that the activation is queued).</summary>
    private async Task WaitForALockWaitAsync()
    {
        await using var watcher = new NpgsqlConnection(database.ConnectionString);
        await watcher.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", watcher);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!patience.IsCancellationRequested && (long)(await command.ExecuteScalarAsync())! == 0)
        {
            await Task.Delay(10);
        }
    }
}
