using NodaTime;
using Xunit;

namespace Messaging.Testing.Storage;

/// <summary>
/// The unit of work (R21): writes are invisible until commit, discarded on dispose, and applied all together or — when
/// any precondition fails at commit — not at all, whichever precondition it is.
/// </summary>
public abstract class UnitOfWorkStoreTests : StoreConformanceTests
{
    private Conversation _conversation = null!;
    private Message _queued = null!;

    /// <summary>Staged writes are invisible before the commit, and dropped when the unit is disposed uncommitted.</summary>
    [StoreFact]
    public async Task Writes_are_invisible_until_commit_and_discarded_on_dispose()
    {
        await SeedAsync();
        var conversation = NewConversation();

        var work = await Store.BeginAsync();
        await using (work)
        {
            work.AddConversation(conversation);
            work.AppendCreditEntry(Credits(5));
            Assert.Null(await Store.GetConversationAsync(conversation.Id));
        }

        Assert.Null(await Store.GetConversationAsync(conversation.Id));
        Assert.Equal(0, await Store.GetCreditBalanceAsync(Org));
    }

    /// <summary>A stale conversation version fails the commit, and nothing else staged with it is applied.</summary>
    [StoreFact]
    public Task A_stale_conversation_version_applies_nothing()
        => AssertNothingAppliedAsync(
            work => work.UpdateConversation(_conversation with { Subject = "late", Version = 6 }, expectedVersion: 5),
            MessagingErrorCodes.ConcurrencyConflict);

    /// <summary>Updating a conversation that does not exist is "not found", and nothing is applied.</summary>
    [StoreFact]
    public Task Updating_a_missing_conversation_applies_nothing()
        => AssertNothingAppliedAsync(
            work => work.UpdateConversation(NewConversation() with { Version = 2 }, expectedVersion: 1),
            MessagingErrorCodes.ConversationNotFound);

    /// <summary>A duplicate key fails the commit, and nothing else staged with it is applied.</summary>
    [StoreFact]
    public Task A_duplicate_key_applies_nothing()
        => AssertNothingAppliedAsync(work => work.AddConversation(_conversation), MessagingErrorCodes.AlreadyExists);

    /// <summary>A charge beyond the balance fails the commit, and nothing else staged with it is applied.</summary>
    [StoreFact]
    public Task An_overdraw_applies_nothing()
        => AssertNothingAppliedAsync(work => work.AppendCreditEntry(Credits(-11)), MessagingErrorCodes.InsufficientCredits);

    /// <summary>A reused idempotency key fails the commit, and nothing else staged with it is applied.</summary>
    [StoreFact]
    public Task A_reused_idempotency_key_applies_nothing()
        => AssertNothingAppliedAsync(work => work.AddMessage(NewMessage(_conversation, idempotencyKey: "key-1")), MessagingErrorCodes.AlreadyExists);

    /// <summary>Completing an outbox entry without holding its lease fails the commit, and nothing else is applied.</summary>
    [StoreFact]
    public Task A_lost_lease_applies_nothing()
        => AssertNothingAppliedAsync(work => work.CompleteOutboxEntry(_queued.Id, "not-the-owner"), MessagingErrorCodes.LeaseLost);

    /// <summary>Spending a reply token that is not active fails the commit, and nothing else is applied.</summary>
    [StoreFact]
    public Task A_spent_reply_token_applies_nothing()
        => AssertNothingAppliedAsync(work => work.SpendReplyToken("spent-token", T0), MessagingErrorCodes.ReplyTokenSpent);

    /// <summary>An NHS number already used by another patient fails the commit, and nothing else is applied.</summary>
    [StoreFact]
    public Task A_clashing_nhs_number_applies_nothing()
        => AssertNothingAppliedAsync(work => work.UpsertPatient(Patient(new PatientId("p-clash"), 1)), MessagingErrorCodes.AlreadyExists);

    /// <summary>Of two units updating the same conversation version, the first commit wins and the second conflicts.</summary>
    [StoreFact]
    public async Task Two_units_updating_one_version_conflict_and_the_first_commit_wins()
    {
        await SeedAsync();
        var conversation = NewConversation();
        await WriteAsync(work => work.AddConversation(conversation));

        var first = await Store.BeginAsync();
        var second = await Store.BeginAsync();
        first.UpdateConversation(conversation with { Status = ConversationStatus.Done, Version = 2 }, 1);
        second.UpdateConversation(conversation with { Subject = "changed", Version = 2 }, 1);
        await first.CommitAsync();
        var late = await Assert.ThrowsAsync<MessagingConflictException>(() => second.CommitAsync().AsTask());
        await first.DisposeAsync();
        await second.DisposeAsync();

        Assert.Equal(MessagingErrorCodes.ConcurrencyConflict, late.ErrorCode);
        var stored = await Store.GetConversationAsync(conversation.Id);
        Assert.Equal(ConversationStatus.Done, stored!.Status);
        Assert.Null(stored.Subject);
    }

    /// <summary>Of many concurrent updates of one conversation version, exactly one commits.</summary>
    [StoreFact]
    public async Task Concurrent_updates_of_one_version_let_exactly_one_through()
    {
        await SeedAsync();
        var conversation = NewConversation();
        await WriteAsync(work => work.AddConversation(conversation));

        var errors = await RaceAsync(8, i => WriteAsync(work => work.UpdateConversation(conversation with { Subject = $"writer {i}", Version = 2 }, 1)));

        Assert.Single(errors, e => e is null);
        Assert.All(errors.OfType<MessagingException>(), e => Assert.Equal(MessagingErrorCodes.ConcurrencyConflict, e.ErrorCode));
        var stored = await Store.GetConversationAsync(conversation.Id);
        Assert.Equal(2, stored!.Version);
        Assert.Equal($"writer {Array.FindIndex(errors, e => e is null)}", stored.Subject);
    }

    /// <summary>Messages are version-checked too: a stale update conflicts, a missing message is "not found".</summary>
    [StoreFact]
    public async Task A_stale_or_missing_message_update_is_refused()
    {
        await SeedAsync();
        var conversation = NewConversation();
        var message = NewMessage(conversation);
        await WriteAsync(work =>
        {
            work.AddConversation(conversation);
            work.AddMessage(message);
        });
        var sent = message with { Status = DeliveryStatus.Sent, Version = 2 };
        await WriteAsync(work => work.UpdateMessage(sent, 1));

        await CommitFailsAsync<MessagingConflictException>(work => work.UpdateMessage(message with { Status = DeliveryStatus.Failed, Version = 2 }, 1), MessagingErrorCodes.ConcurrencyConflict);
        await CommitFailsAsync<MessagingNotFoundException>(work => work.UpdateMessage(NewMessage(conversation) with { Version = 2 }, 1), MessagingErrorCodes.MessageNotFound);
        Assert.Equal(DeliveryStatus.Sent, (await Store.GetMessageAsync(message.Id))!.Status);
    }

    /// <summary>
    /// Seeds a conversation (version 5), a queued message with an outbox entry, 10 credits, a used reply token
    /// "spent-token" and an idempotency key "key-1"; then stages one write of every kind around the failing one and
    /// checks that the commit fails with <paramref name="errorCode"/> and that none of the writes is visible.
    /// </summary>
    private async Task AssertNothingAppliedAsync(Action<IMessagingUnitOfWork> failing, string errorCode)
    {
        await SeedAsync();
        _conversation = NewConversation() with { Version = 5 };
        _queued = NewMessage(_conversation, idempotencyKey: "key-1");
        var spent = Token(_conversation, _queued.Id, "spent-token");
        await WriteAsync(work =>
        {
            work.AddConversation(_conversation);
            work.AddMessage(_queued);
            work.AddOutboxEntry(new OutboxEntry(_queued.Id, 0, T0));
            work.AppendCreditEntry(Credits(10));
            work.IssueReplyToken(spent);
        });
        await WriteAsync(work => work.SpendReplyToken(spent.TokenHash, T0));
        var auditBefore = (await Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Org })).Count;

        var newOrg = new Organisation(OtherOrg, "Other", OtherWs, T0);
        var later = T0 + Duration.FromMinutes(1);
        var extra = NewMessage(_conversation, later);
        var token = Token(_conversation, extra.Id);
        var patient = Patient(new PatientId("p-new"), 7);
        var error = await Assert.ThrowsAnyAsync<MessagingException>(() => WriteAsync(work =>
        {
            work.AddOrganisation(newOrg);
            work.AddMessage(extra);
            work.AddOutboxEntry(new OutboxEntry(extra.Id, 0, later));
            work.AppendCreditEntry(Credits(-1, extra.Id));
            work.UpdateConversation(WithActivity(_conversation, later, Bob), _conversation.Version);
            work.SetReadPosition(new ReadPosition(_conversation.Id, Bob, 1, false));
            failing(work);
            work.IssueReplyToken(token);
            work.UpsertPatient(patient);
            work.UpsertMember(Member(Ws, new StaffId("dave")));
            work.SetOptOut(new OptOutState(Org, PhoneNumber.FromE164("+447700900999"), true, later, "keyword:STOP"));
            work.AppendAudit(Audit(AuditAction.MessageSent));
        }));

        Assert.Equal(errorCode, error.ErrorCode);
        Assert.Null(await Store.GetOrganisationAsync(OtherOrg));
        Assert.Null(await Store.GetMessageAsync(extra.Id));
        Assert.Equal(10, await Store.GetCreditBalanceAsync(Org));
        Assert.Single(await Store.ListCreditLedgerAsync(Org));
        AssertSame(_conversation, await Store.GetConversationAsync(_conversation.Id));
        Assert.Null(await Store.GetReadPositionAsync(_conversation.Id, Bob));
        Assert.Null(await Store.FindReplyTokenAsync(token.TokenHash));
        Assert.Null(await Store.GetPatientAsync(Org, patient.Id));
        Assert.Null(await Store.GetMemberAsync(Ws, new StaffId("dave")));
        Assert.Null(await Store.GetOptOutAsync(Org, PhoneNumber.FromE164("+447700900999")));
        Assert.Equal(auditBefore, (await Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Org })).Count);
        var claimed = await Store.ClaimOutboxAsync("checker", later, Duration.FromMinutes(1), 10);
        Assert.Equal([_queued.Id], claimed.Select(e => e.MessageId));
        Assert.Equal([Alice], (await Store.GetConversationAsync(_conversation.Id))!.Participants);
    }
}
