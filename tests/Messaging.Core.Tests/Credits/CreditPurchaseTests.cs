using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Credits;

/// <summary>R15 as the practice guide's "How do I purchase SMS credits?" implies: admin purchases, idempotent by payment reference, statements.</summary>
public sealed class CreditPurchaseTests
{
    [Fact]
    public async Task An_organisation_admin_buys_credits_and_gets_the_purchase_with_the_balance_after_it()
    {
        await using var world = await CreateAsync();

        var purchase = await world.Credits.PurchaseAsync(Alice, Trust, 40, "PAY-1");

        purchase.Entry.Should().Match<CreditLedgerEntry>(e => e.Kind == CreditEntryKind.Purchase && e.Amount == 40 && e.Reference == "PAY-1" && e.OrganisationId == Trust);
        purchase.BalanceAfter.Should().Be(40);
        (await world.Credits.GetBalanceAsync(Trust)).Should().Be(40);
    }

    /// <summary>Done-when: a non-admin purchase is refused with a typed error and nothing is written.</summary>
    [Fact]
    public async Task A_member_who_is_not_an_admin_or_a_non_member_cannot_buy_and_nothing_is_written()
    {
        await using var world = await CreateAsync();

        var member = () => world.Credits.PurchaseAsync(Bob, Trust, 40, "PAY-1");
        var stranger = () => world.Credits.PurchaseAsync(Mallory, Trust, 40, "PAY-1");

        (await member.Should().ThrowAsync<MessagingAuthorizationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.NotAnAdmin);
        (await stranger.Should().ThrowAsync<MessagingAuthorizationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.NotAMember);
        (await world.Credits.GetLedgerAsync(Trust)).Should().BeEmpty();
        (await world.Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Trust, Action = AuditAction.CreditsPurchased })).Should().BeEmpty();
    }

    [Fact]
    public async Task An_admin_of_a_team_workspace_only_is_not_an_organisation_admin()
    {
        await using var world = await CreateAsync();
        await world.Workspaces.AddMemberAsync(Alice, Dermatology, new NewMember(new StaffId("dana"), "dana@northshire.nhs.uk", "Dana", WorkspaceRole.Admin));

        var teamAdmin = () => world.Credits.PurchaseAsync(new StaffId("dana"), Trust, 40, "PAY-1");

        (await teamAdmin.Should().ThrowAsync<MessagingAuthorizationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.NotAMember);
        (await world.Credits.GetBalanceAsync(Trust)).Should().Be(0);
    }

    /// <summary>Done-when: a second purchase with the same reference adds nothing and returns the original purchase.</summary>
    [Fact]
    public async Task A_retried_purchase_with_the_same_reference_adds_nothing_and_returns_the_original()
    {
        await using var world = await CreateAsync();
        var original = await world.Credits.PurchaseAsync(Alice, Trust, 40, "PAY-1");
        world.Clock.Advance(Duration.FromMinutes(5));

        var retried = await world.Credits.PurchaseAsync(Alice, Trust, 40, "PAY-1");

        retried.Should().Be(original);
        (await world.Credits.GetBalanceAsync(Trust)).Should().Be(40);
        (await world.Credits.GetLedgerAsync(Trust)).Should().ContainSingle();
        (await world.Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Trust, Action = AuditAction.CreditsPurchased })).Should().ContainSingle();
    }

    [Fact]
    public async Task The_same_reference_with_another_amount_is_refused_and_changes_nothing()
    {
        await using var world = await CreateAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 40, "PAY-1");

        var other = () => world.Credits.PurchaseAsync(Alice, Trust, 400, "PAY-1");

        (await other.Should().ThrowAsync<MessagingConflictException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.IdempotencyKeyReused);
        (await world.Credits.GetBalanceAsync(Trust)).Should().Be(40);
    }

    [Fact]
    public async Task Concurrent_purchases_with_one_reference_add_the_credits_once_and_all_return_the_same_purchase()
    {
        await using var world = await CreateAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => world.Credits.PurchaseAsync(Alice, Trust, 25, "PAY-RACE"))));

        results.Distinct().Should().ContainSingle();
        (await world.Credits.GetBalanceAsync(Trust)).Should().Be(25);
    }

    [Fact]
    public async Task A_purchase_is_audited_with_who_the_reference_and_the_amount()
    {
        await using var world = await CreateAsync();

        await world.Credits.PurchaseAsync(Alice, Trust, 40, "PAY-1");

        var audit = (await world.Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Trust, Action = AuditAction.CreditsPurchased })).Should().ContainSingle().Subject;
        audit.Actor.Should().Be(AuditActor.Staff(Alice));
        audit.TargetId.Should().Be("PAY-1");
        audit.Details.Should().Contain("credits", "40");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(10_000_001)]
    public async Task A_purchase_outside_the_allowed_amounts_is_refused(int credits)
    {
        await using var world = await CreateAsync();

        var act = () => world.Credits.PurchaseAsync(Alice, Trust, credits, "PAY-1");

        (await act.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.OutOfRange);
        (await world.Credits.GetLedgerAsync(Trust)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_statement_gives_the_opening_balance_the_periods_entries_and_the_closing_balance_paged()
    {
        await using var world = await CreateAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "PAY-1");
        world.Clock.Advance(Duration.FromDays(1));
        var from = world.Clock.GetCurrentInstant();
        await world.Messages.SendAsync(Bob, new SendMessageRequest { WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = "One." });
        await world.Credits.PurchaseAsync(Alice, Trust, 5, "PAY-2");
        await world.Messages.SendAsync(Bob, new SendMessageRequest { WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = "Two." });
        var to = world.Clock.GetCurrentInstant() + Duration.FromSeconds(1);
        world.Clock.Advance(Duration.FromDays(1));
        await world.Credits.PurchaseAsync(Alice, Trust, 100, "PAY-3");

        var first = await world.Credits.GetStatementAsync(Alice, Trust, new CreditStatementRequest { From = from, To = to, PageSize = 2 });
        var second = await world.Credits.GetStatementAsync(Alice, Trust, new CreditStatementRequest { From = from, To = to, PageSize = 2, After = first.NextCursor });

        (first.OpeningBalance, first.ClosingBalance).Should().Be((10, 13));
        first.Entries.Concat(second.Entries).Select(e => (e.Kind, e.Amount)).Should().Equal(
            (CreditEntryKind.Charge, -1), (CreditEntryKind.Purchase, 5), (CreditEntryKind.Charge, -1));
        first.NextCursor.Should().NotBeNull();
        second.NextCursor.Should().BeNull();
        (second.OpeningBalance + first.Entries.Concat(second.Entries).Sum(e => e.Amount)).Should().Be(second.ClosingBalance);
    }

    [Fact]
    public async Task A_statement_period_must_end_after_it_starts_and_only_an_admin_reads_it()
    {
        await using var world = await CreateAsync();
        var now = world.Clock.GetCurrentInstant();

        var backwards = () => world.Credits.GetStatementAsync(Alice, Trust, new CreditStatementRequest { From = now, To = now });
        var hugePage = () => world.Credits.GetStatementAsync(Alice, Trust, new CreditStatementRequest { From = now, To = now + Duration.FromDays(1), PageSize = 100_000 });
        var member = () => world.Credits.GetStatementAsync(Bob, Trust, new CreditStatementRequest { From = now, To = now + Duration.FromDays(1) });

        (await backwards.Should().ThrowAsync<MessagingValidationException>()).Which.Should().Match<MessagingValidationException>(e => e.ErrorCode == MessagingErrorCodes.OutOfRange && e.Field == "to");
        (await hugePage.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.OutOfRange);
        (await member.Should().ThrowAsync<MessagingAuthorizationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.NotAnAdmin);
    }
}

/// <summary>R15: a host event when a charge takes the balance below the configured threshold, once per crossing.</summary>
public sealed class LowCreditBalanceTests
{
    private sealed class Recorder : IMessagingEventHandler<CreditBalanceLow>
    {
        public List<CreditBalanceLow> Events { get; } = [];

        public Task HandleAsync(CreditBalanceLow messagingEvent, CancellationToken cancellationToken)
        {
            lock (Events)
            {
                Events.Add(messagingEvent);
            }

            return Task.CompletedTask;
        }
    }

    private static async Task<(Messaging.Tests.Support.TestWorld World, Recorder Recorder)> WorldAsync(int? threshold)
    {
        var recorder = new Recorder();
        var world = await CreateAsync(configure: s =>
        {
            s.Configure<PatientMessagingOptions>(o => o.LowCreditThreshold = threshold);
            s.AddSingleton<IMessagingEventHandler<CreditBalanceLow>>(recorder);
        });
        return (world, recorder);
    }

    private static Task<Message> SendAsync(Messaging.Tests.Support.TestWorld world)
        => world.Messages.SendAsync(Bob, new SendMessageRequest { WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = "Hello." });

    [Fact]
    public async Task The_event_is_raised_once_when_the_balance_falls_below_the_threshold_not_on_every_send_below_it()
    {
        var (world, recorder) = await WorldAsync(threshold: 3);
        await using var _ = world;
        await world.Credits.PurchaseAsync(Alice, Trust, 5, "PAY-1");

        await SendAsync(world);   // 4
        await SendAsync(world);   // 3: not below yet
        recorder.Events.Should().BeEmpty();
        await SendAsync(world);   // 2: crosses
        await SendAsync(world);   // 1: still below
        await SendAsync(world);   // 0

        recorder.Events.Should().ContainSingle().Which.Should().Match<CreditBalanceLow>(e => e.OrganisationId == Trust && e.Balance == 2 && e.Threshold == 3);
    }

    [Fact]
    public async Task A_purchase_back_above_the_threshold_arms_the_event_for_the_next_crossing()
    {
        var (world, recorder) = await WorldAsync(threshold: 2);
        await using var _ = world;
        await world.Credits.PurchaseAsync(Alice, Trust, 2, "PAY-1");
        await SendAsync(world);   // 1: crosses
        await world.Credits.PurchaseAsync(Alice, Trust, 3, "PAY-2");   // 4
        await SendAsync(world);   // 3
        await SendAsync(world);   // 2
        await SendAsync(world);   // 1: crosses again

        recorder.Events.Select(e => e.Balance).Should().Equal(1, 1);
    }

    [Fact]
    public async Task Concurrent_sends_raise_the_event_exactly_once()
    {
        var (world, recorder) = await WorldAsync(threshold: 10);
        await using var _ = world;
        await world.Credits.PurchaseAsync(Alice, Trust, 20, "PAY-1");
        var clients = new List<PatientId>();
        for (var i = 0; i < 20; i++)
        {
            clients.Add((await world.Patients.RegisterAsync(Bob, Dermatology, new PatientRegistration
            {
                PatientId = new PatientId($"client-{i}"), DateOfBirth = new LocalDate(1990, 1, 1), GivenName = "Sam", FamilyName = "Green", Mobile = "07400 333444",
            })).Id);
        }

        // One conversation per client, so the sends race on the balance only.
        await Task.WhenAll(clients.Select(client => Task.Run(() => world.Messages.SendAsync(Bob, new SendMessageRequest
        {
            WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = client, Body = "Hello.",
        }))));

        recorder.Events.Should().ContainSingle().Which.Balance.Should().Be(9);
    }

    [Fact]
    public async Task Without_a_threshold_no_event_is_raised()
    {
        var (world, recorder) = await WorldAsync(threshold: null);
        await using var _ = world;
        await world.Credits.PurchaseAsync(Alice, Trust, 1, "PAY-1");

        await SendAsync(world);

        recorder.Events.Should().BeEmpty();
    }

    [Fact]
    public void A_threshold_below_one_is_refused_at_start_up()
    {
        var options = new PatientMessagingOptions { PublicBaseUrl = new Uri("https://ehr.example.nhs.uk/m/"), LinkKey = Messaging.Tests.Support.TestSecrets.LinkKey, LowCreditThreshold = 0 };
        var services = new ServiceCollection().AddLogging();
        services.AddPatientMessaging(o =>
        {
            o.PublicBaseUrl = options.PublicBaseUrl;
            o.LinkKey = options.LinkKey;
            o.LowCreditThreshold = 0;
        });
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<PatientMessagingOptions>>().Value;

        act.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().Which.Message.Should().Contain("LowCreditThreshold");
    }
}
