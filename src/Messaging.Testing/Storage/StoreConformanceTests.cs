using System.Globalization;
using NodaTime;
using Xunit;

namespace Messaging.Testing.Storage;

/// <summary>
/// The base of every conformance suite: a fresh, empty store per test, and the records the tests build on. To test
/// your store, derive one concrete class from each suite (see <see cref="StoreConformance.Suites"/>) and implement
/// <see cref="CreateStoreAsync"/>.
/// </summary>
/// <remarks>
/// Tests use fixed instants in whole seconds, so stores that keep microseconds (as PostgreSQL does) round-trip them.
/// Several tests write from many tasks at once: a store must be thread-safe, as <see cref="IMessagingStore"/> requires.
/// </remarks>
public abstract class StoreConformanceTests : IAsyncLifetime
{
    /// <summary>The instant the tests' world starts at.</summary>
    protected static readonly Instant T0 = Instant.FromUtc(2026, 11, 23, 9, 0);

    /// <summary>The organisation most tests work in.</summary>
    protected static readonly OrganisationId Org = new("conformance-trust");

    /// <summary>A second organisation, to show that data never leaks across organisations.</summary>
    protected static readonly OrganisationId OtherOrg = new("other-trust");

    /// <summary>The shared-inbox workspace most tests work in.</summary>
    protected static readonly WorkspaceId Ws = new("conformance-ws");

    /// <summary>A second workspace of the organisation, to show that views never leak across workspaces.</summary>
    protected static readonly WorkspaceId OtherWs = new("conformance-other");

    /// <summary>Staff members.</summary>
    protected static readonly StaffId Alice = new("alice"), Bob = new("bob"), Carol = new("carol");

    /// <summary>A team of the workspace.</summary>
    protected static readonly TeamId Nurses = new("nurses");

    /// <summary>A patient of the organisation.</summary>
    protected static readonly PatientId Jane = new("p-jane");

    private int _sequence;

    /// <summary>The store under test: fresh and empty for each test.</summary>
    protected IMessagingStore Store { get; private set; } = null!;

    /// <summary>Makes a store with no data in it. Called before each test.</summary>
    protected abstract Task<IMessagingStore> CreateStoreAsync();

    /// <summary>Releases what <see cref="CreateStoreAsync"/> made. Called after each test.</summary>
    /// <param name="store">The store.</param>
    protected virtual Task DisposeStoreAsync(IMessagingStore store) => Task.CompletedTask;

    /// <inheritdoc />
    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    /// <inheritdoc />
    public Task DisposeAsync() => Store is null ? Task.CompletedTask : DisposeStoreAsync(Store);

    // ---- Writing ------------------------------------------------------------------------------------------------

    /// <summary>Stages writes in one unit of work and commits it.</summary>
    /// <param name="stage">The writes.</param>
    protected async Task WriteAsync(Action<IMessagingUnitOfWork> stage)
    {
        var work = await Store.BeginAsync();
        await using (work)
        {
            stage(work);
            await work.CommitAsync();
        }
    }

    /// <summary>Stages writes, expects the commit to fail with a typed SDK error, and returns it.</summary>
    /// <typeparam name="TException">The expected error type.</typeparam>
    /// <param name="stage">The writes.</param>
    /// <param name="errorCode">The expected <see cref="MessagingException.ErrorCode"/>.</param>
    protected async Task<TException> CommitFailsAsync<TException>(Action<IMessagingUnitOfWork> stage, string errorCode)
        where TException : MessagingException
    {
        var error = await Assert.ThrowsAsync<TException>(() => WriteAsync(stage));
        Assert.Equal(errorCode, error.ErrorCode);
        return error;
    }

    /// <summary>Runs <paramref name="count"/> copies of an operation at once and returns each one's error (or null).</summary>
    /// <param name="count">How many.</param>
    /// <param name="operation">The operation, given its index.</param>
    protected static async Task<MessagingException?[]> RaceAsync(int count, Func<int, Task> operation)
    {
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            start.Wait();
            try
            {
                await operation(i);
                return null;
            }
            catch (MessagingException e)
            {
                return e;
            }
        })).ToArray();
        start.Set();
        return await Task.WhenAll(tasks);
    }

    // ---- The world ----------------------------------------------------------------------------------------------

    /// <summary>
    /// Writes the organisation with its workspace (shared inbox) and a second workspace, members Alice (admin), Bob and
    /// Carol in both, the team <see cref="Nurses"/> (Bob, Carol) and the patient <see cref="Jane"/>.
    /// </summary>
    protected Task SeedAsync() => WriteAsync(work =>
    {
        work.AddOrganisation(new Organisation(Org, "Conformance NHS Trust", Ws, T0));
        work.AddWorkspace(new Workspace(Ws, Org, "Conformance workspace", WorkspaceKind.OrganisationDefault, HasSharedInbox: true, T0));
        work.AddWorkspace(new Workspace(OtherWs, Org, "Other workspace", WorkspaceKind.Team, HasSharedInbox: true, T0));
        foreach (var ws in new[] { Ws, OtherWs })
        {
            work.UpsertMember(Member(ws, Alice, WorkspaceRole.Admin));
            work.UpsertMember(Member(ws, Bob));
            work.UpsertMember(Member(ws, Carol));
        }

        work.AddTeam(new Team(Nurses, Ws, "Nurses", [Bob, Carol], T0));
        work.UpsertPatient(Patient(Jane, 1));
    });

    /// <summary>A membership.</summary>
    protected static WorkspaceMember Member(WorkspaceId workspaceId, StaffId staffId, WorkspaceRole role = WorkspaceRole.Member)
        => new(workspaceId, staffId, EmailAddress.Parse($"{staffId.Value}@conformance.example"), $"Staff {staffId.Value}", role, T0);

    /// <summary>A patient of <see cref="Org"/> with the n-th test NHS number.</summary>
    protected static Patient Patient(PatientId id, int nhsNumberSeed, OrganisationId? organisationId = null) => new()
    {
        OrganisationId = organisationId ?? Org,
        Id = id,
        NhsNumber = NhsNumber.Parse(ValidNhsNumber(nhsNumberSeed)),
        DateOfBirth = new LocalDate(1970, 3, 14),
        GivenName = "Jane",
        FamilyName = "Doe",
        Mobile = PhoneNumber.FromE164("+447700900123"),
        Email = EmailAddress.Parse("jane.doe@example.com"),
        UpdatedAt = T0,
    };

    /// <summary>A valid NHS number (Modulus 11) made from a seed; different seeds give different numbers.</summary>
    protected static string ValidNhsNumber(int seed)
    {
        for (var n = 400_000_000 + (seed * 11); ; n++)
        {
            var digits = n.ToString("D9", CultureInfo.InvariantCulture);
            var sum = 0;
            for (var i = 0; i < 9; i++)
            {
                sum += (digits[i] - '0') * (10 - i);
            }

            var check = (11 - (sum % 11)) % 11;
            if (check != 10)
            {
                return digits + check.ToString(CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>A new conversation in <see cref="Ws"/> with <see cref="Jane"/>, started by and assigned to <paramref name="startedBy"/>.</summary>
    protected static Conversation NewConversation(StaffId? startedBy = null, WorkspaceId? workspaceId = null, Instant? at = null)
    {
        var starter = startedBy ?? Alice;
        var when = at ?? T0;
        return new Conversation
        {
            Id = ConversationId.New(),
            OrganisationId = Org,
            WorkspaceId = workspaceId ?? Ws,
            PatientId = Jane,
            StartedBy = starter,
            Assignee = Assignee.Staff(starter),
            Status = ConversationStatus.Open,
            Participants = [starter],
            CreatedAt = when,
            LastActivityAt = when,
            ActivitySequence = 0,
            Version = 1,
        };
    }

    /// <summary>A queued outbound SMS in a conversation, created at <paramref name="at"/>.</summary>
    protected Message NewMessage(Conversation conversation, Instant? at = null, string? idempotencyKey = null, OrganisationId? organisationId = null) => new()
    {
        Id = MessageId.New(),
        OrganisationId = organisationId ?? conversation.OrganisationId,
        WorkspaceId = conversation.WorkspaceId,
        ConversationId = conversation.Id,
        PatientId = conversation.PatientId,
        Channel = MessageChannel.Sms,
        Direction = MessageDirection.Outbound,
        SentBy = conversation.StartedBy,
        Recipient = "+447700900123",
        Body = $"Your appointment is confirmed ({Interlocked.Increment(ref _sequence)}).",
        Status = DeliveryStatus.Queued,
        Segments = 1,
        Credits = 1,
        IdempotencyKey = idempotencyKey,
        ContentHash = "hash",
        CreatedAt = at ?? T0,
        UpdatedAt = at ?? T0,
        Version = 1,
    };

    /// <summary>Seeds the world, then a conversation with one queued, reply-enabled message in it.</summary>
    protected async Task<(Conversation Conversation, Message Message)> SeedConversationWithMessageAsync()
    {
        await SeedAsync();
        var conversation = NewConversation();
        var message = NewMessage(conversation) with { AllowReply = true };
        await WriteAsync(work =>
        {
            work.AddConversation(conversation);
            work.AddMessage(message);
        });
        return (conversation, message);
    }

    /// <summary>A credit ledger entry of <see cref="Org"/>: a purchase (with a reference of its own) or a charge.</summary>
    protected static CreditLedgerEntry Credits(int amount, MessageId? messageId = null, OrganisationId? organisationId = null, Instant? at = null)
    {
        var id = Guid.NewGuid();
        return new(id, organisationId ?? Org, amount >= 0 ? CreditEntryKind.Purchase : CreditEntryKind.Charge, amount, messageId, at ?? T0, amount >= 0 ? $"INV-{id:N}" : null);
    }

    /// <summary>A purchase of <see cref="Org"/> with the given payment reference.</summary>
    protected static CreditLedgerEntry Purchase(int amount, string reference, OrganisationId? organisationId = null, Instant? at = null)
        => new(Guid.NewGuid(), organisationId ?? Org, CreditEntryKind.Purchase, amount, null, at ?? T0, reference);

    /// <summary>A patient of <see cref="Org"/> without an NHS number (R33).</summary>
    protected static Patient PatientWithoutNhsNumber(PatientId id, OrganisationId? organisationId = null)
        => Patient(id, 0, organisationId) with { NhsNumber = null };

    /// <summary>An active reply token for a message of a conversation.</summary>
    protected static ReplyToken Token(Conversation conversation, MessageId messageId, string? hash = null) => new()
    {
        TokenHash = hash ?? Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"),
        OrganisationId = conversation.OrganisationId,
        ConversationId = conversation.Id,
        MessageId = messageId,
        PatientId = conversation.PatientId,
        IssuedAt = T0,
        ExpiresAt = T0 + Duration.FromDays(7),
        State = ReplyTokenState.Active,
    };

    /// <summary>An audit event of <see cref="Org"/>.</summary>
    protected static AuditEvent Audit(AuditAction action, PatientId? patientId = null, string? targetId = null, Instant? at = null, OrganisationId? organisationId = null) => new()
    {
        Id = Guid.NewGuid(),
        OccurredAt = at ?? T0,
        OrganisationId = organisationId ?? Org,
        WorkspaceId = Ws,
        Actor = AuditActor.Staff(Alice),
        Action = action,
        PatientId = patientId,
        TargetId = targetId,
        Details = new Dictionary<string, string> { ["channel"] = "sms" },
    };

    /// <summary>The conversation after one more message from <paramref name="sender"/> at <paramref name="at"/>.</summary>
    protected static Conversation WithActivity(Conversation conversation, Instant at, StaffId? sender = null) => conversation with
    {
        ActivitySequence = conversation.ActivitySequence + 1,
        LastActivityAt = at,
        Participants = sender is { } s && !conversation.IsParticipant(s) ? [.. conversation.Participants, s] : conversation.Participants,
        Version = conversation.Version + 1,
    };

    // ---- Comparing ----------------------------------------------------------------------------------------------

    /// <summary>Asserts two conversations are equal, list by list.</summary>
    protected static void AssertSame(Conversation expected, Conversation? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Participants, actual.Participants);
        Assert.Equal(expected with { Participants = actual.Participants }, actual);
    }
}
