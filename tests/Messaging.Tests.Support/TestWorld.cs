using Messaging.Storage;
using Messaging.Testing.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;

namespace Messaging.Tests.Support;

/// <summary>
/// The SDK wired as a host would wire it (AddPatientMessaging + in-memory store) with a fake clock, and a small
/// seeded world: a trust with its default workspace (no shared inbox) and a dermatology team workspace with a
/// shared inbox, three staff and one patient.
/// </summary>
public sealed class TestWorld : IAsyncDisposable
{
    public static readonly OrganisationId Trust = new("northshire-trust");
    public static readonly WorkspaceId TrustDefault = new("northshire");
    public static readonly WorkspaceId Dermatology = new("northshire-derm");
    public static readonly StaffId Alice = new("alice");   // admin of both workspaces
    public static readonly StaffId Bob = new("bob");       // member of both
    public static readonly StaffId Carol = new("carol");   // member of both
    public static readonly StaffId Mallory = new("mallory"); // member of nothing
    public static readonly TeamId Nurses = new("derm-nurses");
    public static readonly PatientId Jane = new("p-1001");
    public const string PatientNhsNumber = "943 476 5919";
    public static readonly LocalDate PatientDateOfBirth = new(1970, 3, 14);

    private readonly ServiceProvider _services;

    private TestWorld(ServiceProvider services, CapturingLoggerProvider logs)
    {
        _services = services;
        Logs = logs;
        Clock = (FakeClock)services.GetRequiredService<IClock>();
    }

    public FakeClock Clock { get; }

    public CapturingLoggerProvider Logs { get; }

    public FakeSmsProvider Sms => _services.GetRequiredService<FakeSmsProvider>();

    public FakeEmailProvider Email => _services.GetRequiredService<FakeEmailProvider>();

    public IMessageService Messages => _services.GetRequiredService<IMessageService>();

    public IOutboxDispatcher Dispatcher => _services.GetRequiredService<IOutboxDispatcher>();

    public ICreditService Credits => _services.GetRequiredService<ICreditService>();

    public IServiceProvider Services => _services;

    public IMessagingStore Store => _services.GetRequiredService<IMessagingStore>();

    public IWorkspaceService Workspaces => _services.GetRequiredService<IWorkspaceService>();

    public IPatientService Patients => _services.GetRequiredService<IPatientService>();

    public IConversationService Conversations => _services.GetRequiredService<IConversationService>();

    public IInboxService Inbox => _services.GetRequiredService<IInboxService>();

    public ITemplateService Templates => _services.GetRequiredService<ITemplateService>();

    public Messaging.Templates.ITemplateMessageService TemplateMessages => _services.GetRequiredService<Messaging.Templates.ITemplateMessageService>();

    /// <summary>The SDK with nothing in it.</summary>
    public static TestWorld Empty(Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        var logs = new CapturingLoggerProvider();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2026, 11, 23, 9, 0), Duration.FromSeconds(1)));
        services.AddPatientMessaging(o =>
        {
            o.PublicBaseUrl = new Uri("https://ehr.example.nhs.uk/m/");
            o.LinkKey = TestSecrets.LinkKey;
        }).AddInMemoryStore();
        services.AddSingleton<FakeSmsProvider>();
        services.AddSingleton<ISmsProvider>(sp => sp.GetRequiredService<FakeSmsProvider>());
        services.AddSingleton<FakeEmailProvider>();
        services.AddSingleton<IEmailProvider>(sp => sp.GetRequiredService<FakeEmailProvider>());
        configure?.Invoke(services);
        return new TestWorld(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }), logs);
    }

    /// <summary>The seeded world.</summary>
    public static async Task<TestWorld> CreateAsync(bool dermatologyHasSharedInbox = true, Action<IServiceCollection>? configure = null)
    {
        var world = Empty(configure);
        await world.Workspaces.CreateOrganisationAsync(new CreateOrganisationRequest
        {
            OrganisationId = Trust,
            Name = "Northshire NHS Trust",
            DefaultWorkspaceId = TrustDefault,
            FirstAdmin = new NewMember(Alice, "alice@northshire.nhs.uk", "Dr Alice Adams"),
        });
        await world.Workspaces.AddMemberAsync(Alice, TrustDefault, new NewMember(Bob, "bob@northshire.nhs.uk", "Bob Brown"));
        await world.Workspaces.AddMemberAsync(Alice, TrustDefault, new NewMember(Carol, "carol@northshire.nhs.uk", "Carol Clark"));
        await world.Workspaces.CreateTeamWorkspaceAsync(Alice, new CreateTeamWorkspaceRequest
        {
            OrganisationId = Trust,
            WorkspaceId = Dermatology,
            Name = "Dermatology at Northshire NHS Trust",
            HasSharedInbox = dermatologyHasSharedInbox,
        });
        await world.Workspaces.AddMemberAsync(Alice, Dermatology, new NewMember(Bob, "bob@northshire.nhs.uk", "Bob Brown"));
        await world.Workspaces.AddMemberAsync(Alice, Dermatology, new NewMember(Carol, "carol@northshire.nhs.uk", "Carol Clark"));
        await world.Workspaces.CreateTeamAsync(Alice, Dermatology, Nurses, "Dermatology nurses", [Bob, Carol]);
        await world.Patients.RegisterAsync(Alice, TrustDefault, new PatientRegistration
        {
            PatientId = Jane,
            NhsNumber = PatientNhsNumber,
            DateOfBirth = PatientDateOfBirth,
            GivenName = "Jane",
            FamilyName = "Doe",
            Mobile = "07400 123456",
            Email = "jane.doe@example.com",
        });
        return world;
    }

    /// <summary>Simulates a message landing in a conversation (the sending pipeline's job): activity moves on.</summary>
    public async Task<Conversation> RecordActivityAsync(ConversationId id, StaffId? sender = null)
    {
        var current = (await Store.GetConversationAsync(id))!;
        var updated = current with
        {
            ActivitySequence = current.ActivitySequence + 1,
            LastActivityAt = Clock.GetCurrentInstant(),
            Participants = sender is { } s && !current.IsParticipant(s) ? [.. current.Participants, s] : current.Participants,
            Version = current.Version + 1,
        };
        var work = await Store.BeginAsync();
        await using (work)
        {
            work.UpdateConversation(updated, current.Version);
            await work.CommitAsync();
        }

        return updated;
    }

    /// <summary>
    /// Stores a message of a channel whose sending service is not wired here (Direct Messages and internal messages,
    /// issue 6) as a sending service does: in <paramref name="like"/>'s conversation, through one unit of work.
    /// </summary>
    public async Task<Message> StoreMessageAsync(Message like, MessageChannel channel, StaffId sender, string body)
    {
        var now = Clock.GetCurrentInstant();
        var message = like with
        {
            Id = MessageId.New(), Channel = channel, SentBy = sender, Body = body, Subject = null, HtmlBody = null, AllowReply = false,
            Status = channel == MessageChannel.Internal ? DeliveryStatus.Delivered : DeliveryStatus.Sent, Direction = MessageDirection.Outbound,
            Recipient = channel == MessageChannel.Internal ? Carol.Value : like.Recipient, IdempotencyKey = null, InReplyTo = null,
            Segments = 0, Credits = 0, CreatedAt = now, UpdatedAt = now, Version = 1,
        };
        var work = await Store.BeginAsync();
        await using (work)
        {
            work.AddMessage(message);
            await work.CommitAsync();
        }

        return message;
    }

    public async Task<int> AuditCountAsync()
        => (await Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Trust, Limit = int.MaxValue })).Count;

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
