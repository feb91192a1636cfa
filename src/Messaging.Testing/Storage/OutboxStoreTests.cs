using System.Collections.Concurrent;
using NodaTime;
using Xunit;

namespace Messaging.Testing.Storage;

/// <summary>Outbox claiming (R20): due entries only, one claimer per entry, leases that lapse, and the lease owner's writes.</summary>
public abstract class OutboxStoreTests : StoreConformanceTests
{
    private static readonly Duration Lease = Duration.FromMinutes(2);

    /// <summary>Claims take due entries only, oldest due first, at most the count asked for, leased to the claimer.</summary>
    [StoreFact]
    public async Task A_claim_takes_due_entries_oldest_first_up_to_the_count()
    {
        var ids = await QueueAsync(5, i => T0 + Duration.FromSeconds(i));
        await QueueAsync(1, _ => T0 + Duration.FromHours(1));

        var claimed = await Store.ClaimOutboxAsync("one", T0 + Duration.FromSeconds(10), Lease, 3);

        Assert.Equal(ids.Take(3), claimed.Select(e => e.MessageId));
        Assert.All(claimed, e =>
        {
            Assert.Equal("one", e.LeaseOwner);
            Assert.Equal(T0 + Duration.FromSeconds(10) + Lease, e.LeaseExpiresAt);
            Assert.Equal(0, e.Attempts);
        });
        var rest = await Store.ClaimOutboxAsync("two", T0 + Duration.FromSeconds(10), Lease, 10);
        Assert.Equal(ids.Skip(3), rest.Select(e => e.MessageId));
        Assert.Empty(await Store.ClaimOutboxAsync("three", T0 + Duration.FromSeconds(10), Lease, 10));
    }

    /// <summary>
    /// Where the store reads the backlog (<see cref="Messaging.Storage.IOutboxBacklogReader"/>, optional): every due entry
    /// counts, leased or not, none not yet due does, and the oldest is the earliest next attempt; nothing due is zero.
    /// </summary>
    [StoreFact]
    public async Task The_backlog_counts_due_entries_leased_or_not_and_names_the_oldest()
    {
        if (Store is not Messaging.Storage.IOutboxBacklogReader backlog)
        {
            return; // an optional capability: this store leaves the backlog unmeasured
        }

        Assert.Equal(new Messaging.Storage.OutboxBacklog(0, null), await backlog.GetOutboxBacklogAsync(T0));
        await QueueAsync(3, i => T0 + Duration.FromSeconds(i));
        await QueueAsync(1, _ => T0 + Duration.FromHours(1));
        await Store.ClaimOutboxAsync("one", T0 + Duration.FromSeconds(10), Lease, 1);

        var read = await backlog.GetOutboxBacklogAsync(T0 + Duration.FromSeconds(10));

        Assert.Equal(new Messaging.Storage.OutboxBacklog(3, T0), read);
        Assert.Equal(Duration.FromSeconds(10), read.OldestAge(T0 + Duration.FromSeconds(10)));
        Assert.Equal(1, (await backlog.GetOutboxBacklogAsync(T0 + Duration.FromSeconds(1) - Duration.FromTicks(1))).Due);
    }

    /// <summary>A leased entry is not claimed again until its lease lapses; then another instance takes it and the first has lost it.</summary>
    [StoreFact]
    public async Task A_lapsed_lease_lets_another_instance_claim_and_the_first_loses_it()
    {
        var id = (await QueueAsync(1, _ => T0)).Single();
        await Store.ClaimOutboxAsync("dead", T0, Lease, 10);

        Assert.Empty(await Store.ClaimOutboxAsync("alive", T0 + Lease - Duration.FromSeconds(1), Lease, 10));
        var reclaimed = await Store.ClaimOutboxAsync("alive", T0 + Lease, Lease, 10);

        Assert.Equal([id], reclaimed.Select(e => e.MessageId));
        await CommitFailsAsync<MessagingConflictException>(work => work.CompleteOutboxEntry(id, "dead"), MessagingErrorCodes.LeaseLost);
        await CommitFailsAsync<MessagingConflictException>(work => work.RescheduleOutboxEntry(id, "dead", 1, T0), MessagingErrorCodes.LeaseLost);
        await WriteAsync(work => work.CompleteOutboxEntry(id, "alive"));
        Assert.Empty(await Store.ClaimOutboxAsync("later", T0 + Duration.FromDays(1), Lease, 10));
    }

    /// <summary>Rescheduling releases the lease and sets the attempt count and the next due time.</summary>
    [StoreFact]
    public async Task Rescheduling_releases_the_entry_until_its_next_attempt()
    {
        var id = (await QueueAsync(1, _ => T0)).Single();
        await Store.ClaimOutboxAsync("one", T0, Lease, 10);
        var next = T0 + Duration.FromSeconds(30);

        await WriteAsync(work => work.RescheduleOutboxEntry(id, "one", 1, next));

        Assert.Empty(await Store.ClaimOutboxAsync("two", next - Duration.FromSeconds(1), Lease, 10));
        var again = Assert.Single(await Store.ClaimOutboxAsync("two", next, Lease, 10));
        Assert.Equal(new OutboxEntry(id, 1, next, "two", next + Lease), again);
    }

    /// <summary>Only the lease holder completes an entry; an entry nobody claimed cannot be completed.</summary>
    [StoreFact]
    public async Task Only_the_lease_holder_completes_an_entry()
    {
        var ids = await QueueAsync(2, _ => T0);
        var claimed = Assert.Single(await Store.ClaimOutboxAsync("one", T0, Lease, 1)).MessageId;
        var unclaimed = ids.Single(id => id != claimed);

        await CommitFailsAsync<MessagingConflictException>(work => work.CompleteOutboxEntry(claimed, "two"), MessagingErrorCodes.LeaseLost);
        await CommitFailsAsync<MessagingConflictException>(work => work.CompleteOutboxEntry(unclaimed, "one"), MessagingErrorCodes.LeaseLost);
        await WriteAsync(work => work.CompleteOutboxEntry(claimed, "one"));
        await CommitFailsAsync<MessagingConflictException>(work => work.AddOutboxEntry(new OutboxEntry(unclaimed, 0, T0)), MessagingErrorCodes.AlreadyExists);
    }

    /// <summary>
    /// The fence before a provider call (R29): the holder of an unexpired lease extends it, so the entry is not claimable
    /// until the new expiry; the renewal is refused to another owner, to an entry nobody holds, and once the lease lapsed —
    /// even if nobody claimed the entry since.
    /// </summary>
    [StoreFact]
    public async Task Only_the_holder_of_an_unexpired_lease_renews_it()
    {
        var ids = await QueueAsync(2, _ => T0);
        var held = Assert.Single(await Store.ClaimOutboxAsync("one", T0, Lease, 1)).MessageId;
        var free = ids.Single(id => id != held);
        var renewedUntil = T0 + Lease + Lease;

        await CommitFailsAsync<MessagingConflictException>(work => work.RenewOutboxLease(held, "two", T0, renewedUntil), MessagingErrorCodes.LeaseLost);
        await CommitFailsAsync<MessagingConflictException>(work => work.RenewOutboxLease(free, "one", T0, renewedUntil), MessagingErrorCodes.LeaseLost);
        await WriteAsync(work => work.RenewOutboxLease(held, "one", T0 + Lease - Duration.FromSeconds(1), renewedUntil));

        Assert.Equal([free], (await Store.ClaimOutboxAsync("two", T0 + Lease, Lease, 10)).Select(e => e.MessageId));
        await WriteAsync(work => work.CompleteOutboxEntry(free, "two"));
        await CommitFailsAsync<MessagingConflictException>(work => work.RenewOutboxLease(held, "one", renewedUntil, renewedUntil + Lease), MessagingErrorCodes.LeaseLost);
        var reclaimed = Assert.Single(await Store.ClaimOutboxAsync("three", renewedUntil, Lease, 10));
        Assert.Equal(new OutboxEntry(held, 0, T0, "three", renewedUntil + Lease), reclaimed);
        await CommitFailsAsync<MessagingConflictException>(work => work.RenewOutboxLease(held, "one", renewedUntil, renewedUntil + Lease), MessagingErrorCodes.LeaseLost);
    }

    /// <summary>A renewal and a message write in one unit of work are all or nothing: a lost lease writes neither.</summary>
    [StoreFact]
    public async Task A_refused_renewal_fails_its_whole_unit_of_work()
    {
        var id = (await QueueAsync(1, _ => T0)).Single();
        await Store.ClaimOutboxAsync("one", T0, Lease, 10);
        var message = (await Store.GetMessageAsync(id))!;

        await CommitFailsAsync<MessagingConflictException>(
            work =>
            {
                work.UpdateMessage(message with { Status = DeliveryStatus.Sending, Version = message.Version + 1 }, message.Version);
                work.RenewOutboxLease(id, "one", T0 + Lease, T0 + Lease + Lease);
            },
            MessagingErrorCodes.LeaseLost);

        var stored = (await Store.GetMessageAsync(id))!;
        Assert.Equal((message.Status, message.Version), (stored.Status, stored.Version));
    }

    /// <summary>Instances claiming at the same time never get the same entry, and together they get every one.</summary>
    [StoreFact]
    public async Task Concurrent_claimers_share_the_entries_without_overlap()
    {
        var ids = await QueueAsync(120, i => T0 + Duration.FromMilliseconds(i));
        var claims = new ConcurrentBag<(string Owner, MessageId Id)>();

        await RaceAsync(4, async i =>
        {
            var owner = $"instance-{i}";
            while (true)
            {
                var batch = await Store.ClaimOutboxAsync(owner, T0 + Duration.FromMinutes(1), Lease, 7);
                if (batch.Count == 0)
                {
                    return;
                }

                foreach (var entry in batch)
                {
                    Assert.Equal(owner, entry.LeaseOwner);
                    claims.Add((owner, entry.MessageId));
                }
            }
        });

        Assert.Equal(ids.Count, claims.Count);
        Assert.Equal(ids.ToHashSet(), claims.Select(c => c.Id).ToHashSet());
    }

    /// <summary>Queues <paramref name="count"/> messages (each with its outbox entry) due at the given times.</summary>
    private async Task<List<MessageId>> QueueAsync(int count, Func<int, Instant> due)
    {
        if (await Store.GetOrganisationAsync(Org) is null)
        {
            await SeedAsync();
        }

        var conversation = NewConversation();
        var messages = Enumerable.Range(0, count).Select(i => NewMessage(conversation, due(i))).ToList();
        await WriteAsync(work =>
        {
            work.AddConversation(conversation);
            foreach (var (message, i) in messages.Select((m, i) => (m, i)))
            {
                work.AddMessage(message);
                work.AddOutboxEntry(new OutboxEntry(message.Id, 0, due(i)));
            }
        });
        return [.. messages.Select(m => m.Id)];
    }
}

/// <summary>The SMS credit ledger (R15): a balance that is the ledger's sum and never goes below zero, even under concurrency.</summary>
public abstract class CreditStoreTests : StoreConformanceTests
{
    /// <summary>The balance is the sum of the ledger, which lists oldest first, per organisation.</summary>
    [StoreFact]
    public async Task The_balance_is_the_sum_of_the_ledger_listed_oldest_first()
    {
        var entries = new[] { Credits(100), Credits(-3), Credits(-2), new CreditLedgerEntry(Guid.NewGuid(), Org, CreditEntryKind.Refund, 2, MessageId.New(), T0 + Duration.FromMinutes(1)) };
        foreach (var entry in entries)
        {
            await WriteAsync(work => work.AppendCreditEntry(entry));
        }

        await WriteAsync(work => work.AppendCreditEntry(Credits(7, organisationId: OtherOrg)));

        Assert.Equal(97, await Store.GetCreditBalanceAsync(Org));
        Assert.Equal(entries, await Store.ListCreditLedgerAsync(Org));
        Assert.Equal(7, await Store.GetCreditBalanceAsync(OtherOrg));
        Assert.Equal(0, await Store.GetCreditBalanceAsync(new OrganisationId("no-credits")));
        Assert.Empty(await Store.ListCreditLedgerAsync(new OrganisationId("no-credits")));
    }

    /// <summary>A charge that would take the balance below zero is refused; one that reaches exactly zero is not.</summary>
    [StoreFact]
    public async Task A_charge_may_reach_zero_but_not_go_below()
    {
        await CommitFailsAsync<MessagingConflictException>(work => work.AppendCreditEntry(Credits(-1)), MessagingErrorCodes.InsufficientCredits);
        await WriteAsync(work => work.AppendCreditEntry(Credits(5)));
        await CommitFailsAsync<MessagingConflictException>(work => work.AppendCreditEntry(Credits(-6)), MessagingErrorCodes.InsufficientCredits);
        await WriteAsync(work => work.AppendCreditEntry(Credits(-5)));

        Assert.Equal(0, await Store.GetCreditBalanceAsync(Org));
        Assert.Equal(2, (await Store.ListCreditLedgerAsync(Org)).Count);
    }

    /// <summary>Charges in one unit of work add up: two charges that each fit but together overdraw are refused together.</summary>
    [StoreFact]
    public async Task Charges_in_one_unit_of_work_add_up()
    {
        await WriteAsync(work => work.AppendCreditEntry(Credits(3)));

        await CommitFailsAsync<MessagingConflictException>(work =>
        {
            work.AppendCreditEntry(Credits(-2));
            work.AppendCreditEntry(Credits(-2));
        }, MessagingErrorCodes.InsufficientCredits);

        Assert.Equal(3, await Store.GetCreditBalanceAsync(Org));
    }

    /// <summary>Many concurrent charges never overdraw: exactly as many succeed as the balance pays for.</summary>
    [StoreFact]
    public async Task Concurrent_charges_never_overdraw()
    {
        await WriteAsync(work => work.AppendCreditEntry(Credits(10)));

        var errors = await RaceAsync(24, _ => WriteAsync(work => work.AppendCreditEntry(Credits(-1))));

        Assert.Equal(10, errors.Count(e => e is null));
        Assert.All(errors.OfType<MessagingException>(), e => Assert.Equal(MessagingErrorCodes.InsufficientCredits, e.ErrorCode));
        Assert.Equal(0, await Store.GetCreditBalanceAsync(Org));
        Assert.Equal(0, (await Store.ListCreditLedgerAsync(Org)).Sum(e => e.Amount));
    }

    /// <summary>Each stored entry reads back with the balance right after it, in the ledger's order.</summary>
    [StoreFact]
    public async Task Each_entry_reads_back_with_the_balance_after_it()
    {
        var purchase = Credits(10);
        var charge = Credits(-3);
        await WriteAsync(work => work.AppendCreditEntry(purchase));
        await WriteAsync(work => work.AppendCreditEntry(charge));

        Assert.Equal(new CreditLedgerLine(purchase, 10), await Store.GetCreditEntryAsync(Org, purchase.Id));
        Assert.Equal(new CreditLedgerLine(charge, 7), await Store.GetCreditEntryAsync(Org, charge.Id));
        Assert.Null(await Store.GetCreditEntryAsync(OtherOrg, charge.Id));
        Assert.Null(await Store.GetCreditEntryAsync(Org, Guid.NewGuid()));
    }

    /// <summary>
    /// A payment reference buys credits once per organisation (R15): a second purchase with it is refused at commit and
    /// changes nothing; another organisation may use the same reference; charges carry no reference and never clash.
    /// </summary>
    [StoreFact]
    public async Task A_purchase_reference_is_unique_per_organisation()
    {
        var first = Purchase(10, "PAY-1");
        await WriteAsync(work => work.AppendCreditEntry(first));

        await CommitFailsAsync<MessagingConflictException>(work => work.AppendCreditEntry(Purchase(10, "PAY-1")), MessagingErrorCodes.AlreadyExists);
        await WriteAsync(work => work.AppendCreditEntry(Purchase(4, "PAY-1", OtherOrg)));
        await WriteAsync(work => work.AppendCreditEntry(Credits(-1)));
        await WriteAsync(work => work.AppendCreditEntry(Credits(-1)));

        Assert.Equal(new CreditLedgerLine(first, 10), await Store.FindCreditPurchaseAsync(Org, "PAY-1"));
        Assert.Null(await Store.FindCreditPurchaseAsync(Org, "PAY-2"));
        Assert.Equal(8, await Store.GetCreditBalanceAsync(Org));
        Assert.Equal(4, await Store.GetCreditBalanceAsync(OtherOrg));
    }

    /// <summary>Concurrent purchases with one reference: exactly one commits, the others are refused, the balance counts it once.</summary>
    [StoreFact]
    public async Task Concurrent_purchases_with_one_reference_add_the_credits_once()
    {
        var errors = await RaceAsync(12, _ => WriteAsync(work => work.AppendCreditEntry(Purchase(25, "PAY-RACE"))));

        Assert.Equal(1, errors.Count(e => e is null));
        Assert.All(errors.OfType<MessagingException>(), e => Assert.Equal(MessagingErrorCodes.AlreadyExists, e.ErrorCode));
        Assert.Equal(25, await Store.GetCreditBalanceAsync(Org));
        Assert.Single(await Store.ListCreditLedgerAsync(Org));
    }

    /// <summary>
    /// A statement: opening balance from the entries before the period, the period's entries in ledger order, paged,
    /// and a closing balance from the entries before its end; other organisations' entries never appear.
    /// </summary>
    [StoreFact]
    public async Task A_statement_has_an_opening_balance_the_periods_entries_paged_and_a_closing_balance()
    {
        var before = Credits(50, at: T0 - Duration.FromDays(1));
        var inPeriod = new[] { Credits(-1, at: T0), Credits(20, at: T0 + Duration.FromHours(1)), Credits(-2, at: T0 + Duration.FromHours(2)) };
        var after = Credits(-5, at: T0 + Duration.FromDays(2));
        foreach (var entry in new[] { before }.Concat(inPeriod).Append(after))
        {
            await WriteAsync(work => work.AppendCreditEntry(entry));
        }

        await WriteAsync(work => work.AppendCreditEntry(Credits(9, organisationId: OtherOrg, at: T0)));
        var (from, to) = (T0, T0 + Duration.FromDays(1));

        var first = await Store.ReadCreditStatementAsync(Org, from, to, null, 2);
        Assert.Equal((50, 67), (first.OpeningBalance, first.ClosingBalance));
        Assert.Equal(inPeriod.Take(2), first.Entries);
        Assert.NotNull(first.NextCursor);

        var second = await Store.ReadCreditStatementAsync(Org, from, to, first.NextCursor, 2);
        Assert.Equal((50, 67), (second.OpeningBalance, second.ClosingBalance));
        Assert.Equal(inPeriod.Skip(2), second.Entries);
        Assert.Null(second.NextCursor);

        var empty = await Store.ReadCreditStatementAsync(Org, T0 + Duration.FromDays(10), T0 + Duration.FromDays(11), null, 10);
        Assert.Equal((62, 62), (empty.OpeningBalance, empty.ClosingBalance));
        Assert.Empty(empty.Entries);
        Assert.Null(empty.NextCursor);
    }
}

/// <summary>The audit trail (R19): append-only, filtered by patient, target and action, oldest first, limited.</summary>
public abstract class AuditStoreTests : StoreConformanceTests
{
    /// <summary>Events read back whole, oldest first, filtered by each criterion and by organisation, and limited.</summary>
    [StoreFact]
    public async Task Events_filter_by_patient_target_and_action_oldest_first_with_a_limit()
    {
        var other = new PatientId("p-other");
        var events = new[]
        {
            Audit(AuditAction.ConversationStarted, Jane, "c-1", T0),
            Audit(AuditAction.MessageSent, Jane, "m-1", T0 + Duration.FromSeconds(1)),
            Audit(AuditAction.MessageSent, other, "m-2", T0 + Duration.FromSeconds(2)),
            Audit(AuditAction.ConversationViewed, Jane, "c-1", T0 + Duration.FromSeconds(3)) with { Details = null, WorkspaceId = null, Actor = AuditActor.System },
            Audit(AuditAction.CreditsPurchased, null, null, T0 + Duration.FromSeconds(4)),
        };
        foreach (var e in events.Take(3))
        {
            await WriteAsync(work => work.AppendAudit(e));
        }

        await WriteAsync(work =>
        {
            work.AppendAudit(events[3]);
            work.AppendAudit(events[4]);
            work.AppendAudit(Audit(AuditAction.MessageSent, Jane, "m-9", organisationId: OtherOrg));
        });

        AssertEvents(events, await Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Org }));
        AssertEvents([events[0], events[1], events[3]], await Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Org, PatientId = Jane }));
        AssertEvents([events[0], events[3]], await Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Org, TargetId = "c-1" }));
        AssertEvents([events[1], events[2]], await Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Org, Action = AuditAction.MessageSent }));
        AssertEvents([events[1]], await Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Org, Action = AuditAction.MessageSent, PatientId = Jane }));
        AssertEvents([events[0], events[1]], await Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Org, Limit = 2 }));
        Assert.Single(await Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = OtherOrg }));
    }

    private static void AssertEvents(IReadOnlyList<AuditEvent> expected, IReadOnlyList<AuditEvent> actual)
    {
        Assert.Equal(expected.Select(e => e.Id), actual.Select(e => e.Id));
        foreach (var (e, a) in expected.Zip(actual))
        {
            Assert.Equal(e.Details?.OrderBy(d => d.Key), a.Details?.OrderBy(d => d.Key));
            Assert.Equal(e with { Details = a.Details }, a);
        }
    }
}
