using System.Data.Common;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Messaging.Storage;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Messaging.Benchmarks.EfCore;

/// <summary>
/// The send path's writes on a real database (R20, issue 7): each operation queues <see cref="Batch"/> SMS in one
/// conversation, one transaction per message.
/// <list type="bullet">
/// <item><description><b>ADO.NET</b> (baseline): the rows one send writes — conversation (version-checked), its "sent by"
/// index row, message, outbox entry, credit charge (balance check) and ledger entry, read position, audit event —
/// as hand-written statements on a pooled connection.</description></item>
/// <item><description><b>EF store</b>: the same writes staged in the EF Core store's unit of work and committed.</description></item>
/// <item><description><b>SendAsync</b>: the SDK's whole send path on the EF store — membership, conversation, patient,
/// opt-out and balance reads, segment count, then that unit of work.</description></item>
/// </list>
/// Messages per second = <see cref="Batch"/> / (Mean × Batch) = 1 / Mean.
/// </summary>
[MemoryDiagnoser]
public class EfCoreSendPathBenchmarks
{
    public const int Batch = 100;
    private static readonly OrganisationId Org = new("bench-org");
    private static readonly WorkspaceId Workspace = new("bench-ws");
    private static readonly StaffId Sender = new("sender");
    private static readonly PatientId Patient = new("p-1");
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 23, 9, 0);
    private const string Body = "Dear Jane, your appointment at the dermatology clinic is on Tuesday 3 March 2026 at 10:30. Reply if you need to rearrange.";

    private BenchDatabase _database = null!;
    private IMessagingStore _store = null!;
    private IMessageService _messages = null!;
    private SendMessageRequest _request = null!;
    private Conversation _storeConversation = null!;
    private Guid _adoConversation;
    private long _adoVersion;

    [Params(BenchDatabase.Sqlite, BenchDatabase.Postgres)]
    public string Database { get; set; } = BenchDatabase.Sqlite;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _database = await BenchDatabase.CreateAsync(Database);
        var services = _database.Services;
        await services.GetRequiredService<IWorkspaceService>().CreateOrganisationAsync(new CreateOrganisationRequest
        {
            OrganisationId = Org, Name = "Bench trust", DefaultWorkspaceId = Workspace, FirstAdmin = new NewMember(Sender, "sender@bench.example", "Sender"),
        });
        await services.GetRequiredService<IPatientService>().RegisterAsync(Sender, Workspace, new PatientRegistration
        {
            PatientId = Patient, NhsNumber = "9434765919", DateOfBirth = new LocalDate(1970, 3, 14), GivenName = "Jane", FamilyName = "Doe", Mobile = "07400 123456",
        });
        await services.GetRequiredService<ICreditService>().PurchaseAsync(Sender, Org, 10_000_000, "bench");
        var conversations = services.GetRequiredService<IConversationService>();
        _store = services.GetRequiredService<IMessagingStore>();
        _messages = services.GetRequiredService<IMessageService>();
        _storeConversation = await conversations.StartAsync(Sender, Workspace, Patient);
        var ado = await conversations.StartAsync(Sender, Workspace, Patient);
        (_adoConversation, _adoVersion) = (ado.Id.Value, ado.Version);
        _request = new SendMessageRequest { WorkspaceId = Workspace, Channel = MessageChannel.Sms, ConversationId = (await conversations.StartAsync(Sender, Workspace, Patient)).Id, Body = Body };
    }

    [GlobalCleanup]
    public Task CleanupAsync() => _database.DisposeAsync().AsTask();

    [Benchmark(Baseline = true, Description = "ADO.NET: the send's rows, 1 tx/message", OperationsPerInvoke = Batch)]
    public async Task AdoNet()
    {
        for (var i = 0; i < Batch; i++)
        {
            await AdoSendOnceAsync();
        }
    }

    [Benchmark(Description = "EF store: the same rows, 1 unit of work/message", OperationsPerInvoke = Batch)]
    public async Task EfStoreUnitOfWork()
    {
        for (var i = 0; i < Batch; i++)
        {
            await StoreSendOnceAsync();
        }
    }

    [Benchmark(Description = "SDK SendAsync on the EF store (reads + unit of work)", OperationsPerInvoke = Batch)]
    public async Task SendAsync()
    {
        for (var i = 0; i < Batch; i++)
        {
            await _messages.SendAsync(Sender, _request);
        }
    }

    /// <summary>What <c>MessageService.SendAsync</c> stages for a message continuing a conversation.</summary>
    private async Task StoreSendOnceAsync()
    {
        var current = _storeConversation;
        var active = current with { ActivitySequence = current.ActivitySequence + 1, LastActivityAt = Now, Version = current.Version + 1 };
        var message = NewMessage(current.Id.Value);
        var work = await _store.BeginAsync();
        await using (work)
        {
            work.UpdateConversation(active, current.Version);
            work.AddMessage(message);
            work.AddOutboxEntry(new OutboxEntry(message.Id, 0, Now));
            work.AppendCreditEntry(new CreditLedgerEntry(Guid.NewGuid(), Org, CreditEntryKind.Charge, -1, message.Id, Now));
            work.SetReadPosition(new ReadPosition(current.Id, Sender, active.ActivitySequence, false));
            work.AppendAudit(Audit(message));
            await work.CommitAsync();
        }

        _storeConversation = active;
    }

    /// <summary>The same rows as <see cref="StoreSendOnceAsync"/>, by hand.</summary>
    private async Task AdoSendOnceAsync()
    {
        var db = _database;
        var message = NewMessage(_adoConversation);
        var at = Now.ToDateTimeUtc();
        var expected = _adoVersion;
        await using var connection = await db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;

        await Execute(command, expectOne: true,
            "UPDATE conversations SET organisation_id = @p1, workspace_id = @p2, patient_id = @p3, started_by = @p4, assignee_kind = 'Staff', assignee_id = @p4, "
            + "status = 'Open', subject = NULL, participants = @p5, created_at = @p6, last_activity_at = @p6, activity_sequence = @p7, version = @p8 WHERE id = @p0 AND version = @p9",
            db.Id(_adoConversation), Org.Value, Workspace.Value, Patient.Value, Sender.Value, "[\"sender\"]", db.Time(at), expected, expected + 1, expected);
        await Execute(command, expectOne: true,
            "UPDATE conversation_participants SET workspace_id = @p2, status = 'Open', last_activity_at = @p3 WHERE conversation_id = @p0 AND staff_id = @p1",
            db.Id(_adoConversation), Sender.Value, Workspace.Value, db.Time(at));
        await Execute(command, expectOne: true,
            "INSERT INTO messages (id, organisation_id, workspace_id, conversation_id, patient_id, channel, direction, sent_by, recipient, subject, body, html_body, "
            + "allow_reply, status, segments, credits, idempotency_key, content_hash, provider_name, provider_message_id, provider_status, error_code, attachments, "
            + "created_at, updated_at, version) VALUES (@p0, @p1, @p2, @p3, @p4, 'sms', 'Outbound', @p5, @p6, NULL, @p7, NULL, @p8, 'Queued', 1, 1, NULL, @p9, "
            + "NULL, NULL, NULL, NULL, '[]', @p10, @p10, 1)",
            db.Id(message.Id.Value), Org.Value, Workspace.Value, db.Id(_adoConversation), Patient.Value, Sender.Value, message.Recipient, Body, false, message.ContentHash, db.Time(at));
        await Execute(command, expectOne: true,
            "INSERT INTO outbox (message_id, attempts, next_attempt_at, lease_owner, lease_expires_at) VALUES (@p0, 0, @p1, NULL, NULL)",
            db.Id(message.Id.Value), db.Time(at));
        await Execute(command, expectOne: true,
            "UPDATE credit_balances SET balance = balance + @p1 WHERE organisation_id = @p0 AND balance + @p1 >= 0", Org.Value, -1);
        await Execute(command, expectOne: true,
            "INSERT INTO credit_ledger (id, organisation_id, kind, amount, message_id, at, reference) VALUES (@p0, @p1, 'Charge', -1, @p2, @p3, NULL)",
            db.Id(Guid.NewGuid()), Org.Value, db.Id(message.Id.Value), db.Time(at));
        await Execute(command, expectOne: true,
            "INSERT INTO read_positions (conversation_id, staff_id, read_up_to, marked_unread) VALUES (@p0, @p1, @p2, @p3) "
            + "ON CONFLICT (conversation_id, staff_id) DO UPDATE SET read_up_to = excluded.read_up_to, marked_unread = excluded.marked_unread",
            db.Id(_adoConversation), Sender.Value, expected, false);
        var audit = Audit(message);
        await Execute(command, expectOne: true,
            "INSERT INTO audit_events (id, occurred_at, organisation_id, workspace_id, actor_kind, actor_id, action, patient_id, target_id, details) "
            + $"VALUES (@p0, @p1, @p2, @p3, 'Staff', @p4, @p5, @p6, @p7, {(db.IsPostgres ? "CAST(@p8 AS jsonb)" : "@p8")})",
            db.Id(audit.Id), db.Time(at), Org.Value, Workspace.Value, Sender.Value, audit.Action.Value, Patient.Value, audit.TargetId, JsonSerializer.Serialize(audit.Details));
        await transaction.CommitAsync();
        _adoVersion = expected + 1;
    }

    private static async Task Execute(DbCommand command, bool expectOne, string sql, params object?[] values)
    {
        command.CommandText = sql;
        var rows = await command.With(values).ExecuteNonQueryAsync();
        if (expectOne && rows != 1)
        {
            throw new InvalidOperationException($"Expected one row from: {sql}");
        }
    }

    private static Message NewMessage(Guid conversationId) => new()
    {
        Id = MessageId.New(),
        OrganisationId = Org,
        WorkspaceId = Workspace,
        ConversationId = new ConversationId(conversationId),
        PatientId = Patient,
        Channel = MessageChannel.Sms,
        Direction = MessageDirection.Outbound,
        SentBy = Sender,
        Recipient = "+447400123456",
        Body = Body,
        Status = DeliveryStatus.Queued,
        Segments = 1,
        Credits = 1,
        ContentHash = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
        CreatedAt = Now,
        UpdatedAt = Now,
        Version = 1,
    };

    private static AuditEvent Audit(Message message) => new()
    {
        Id = Guid.NewGuid(),
        OccurredAt = Now,
        OrganisationId = Org,
        WorkspaceId = Workspace,
        Actor = AuditActor.Staff(Sender),
        Action = AuditAction.MessageSent,
        PatientId = Patient,
        TargetId = message.Id.ToString(),
        Details = new Dictionary<string, string> { ["channel"] = "sms", ["conversation"] = message.ConversationId.ToString(), ["credits"] = "1" },
    };
}
