using System.Text.RegularExpressions;
using Messaging.Outbox;
using Messaging.Storage.EfCore.Tests.Support;
using Messaging.Testing.Fakes;
using Messaging.Testing.Peers;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;

namespace Messaging.Storage.EfCore.Tests.Flows;

/// <summary>
/// The SDK's own services end to end on the EF Core store, as a host runs them: a reply-enabled SMS is sent, dispatched,
/// answered once by the patient through the link, and lands unread in the assignee's inbox.
/// </summary>
public abstract partial class SdkFlowTests(TestDatabase database) : IAsyncLifetime
{
    private static readonly OrganisationId Trust = new("flow-trust");
    private static readonly WorkspaceId Workspace = new("flow-ws");
    private static readonly StaffId Bob = new("bob");
    private static readonly PatientId Jane = new("p-1");
    private readonly FakeSmsProvider _sms = new();
    private ServiceProvider _services = null!;

    [GeneratedRegex(@"https://ehr\.example\.nhs\.uk/m/r/([A-Za-z0-9_-]{22})")]
    private static partial Regex LinkPattern();

    protected abstract bool Available { get; }

    public async Task InitializeAsync()
    {
        if (!Available)
        {
            return;
        }

        await database.ResetAsync();
        _services = database.BuildServices(services =>
        {
            services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2026, 11, 23, 9, 0)));
            services.AddSingleton<ISmsProvider>(_sms);
            services.Configure<OutboxOptions>(o => o.RunInBackground = false);
            services.AddSingleton<IAttachmentStore, MemoryAttachmentStore>();
        });
        await _services.GetRequiredService<IWorkspaceService>().CreateOrganisationAsync(new CreateOrganisationRequest
        {
            OrganisationId = Trust, Name = "Flow NHS Trust", DefaultWorkspaceId = Workspace, FirstAdmin = new NewMember(Bob, "bob@trust.example", "Bob Brown"),
        });
        await _services.GetRequiredService<IPatientService>().RegisterAsync(Bob, Workspace, new PatientRegistration
        {
            PatientId = Jane, NhsNumber = "943 476 5919", DateOfBirth = new LocalDate(1970, 3, 14), GivenName = "Jane", FamilyName = "Doe", Mobile = "07400 123456",
        });
        await _services.GetRequiredService<ICreditService>().PurchaseAsync(Bob, Trust, 10, "INV-1");
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }

    protected async Task A_patient_replies_once_and_the_reply_lands_unread_in_the_assignees_inbox()
    {
        var sent = await _services.GetRequiredService<IMessageService>().SendAsync(Bob, new SendMessageRequest
        {
            WorkspaceId = Workspace, Channel = MessageChannel.Sms, PatientId = Jane, Body = "Is the rash any better?", AllowReply = true,
        });
        (await _services.GetRequiredService<IOutboxDispatcher>().DispatchDueAsync()).Should().Be(1);
        var token = LinkPattern().Match(_sms.Accepted.Single().Body).Groups[1].Value;
        var replies = _services.GetRequiredService<IPatientReplyService>();

        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        var first = await replies.ReplyAsync(token, "Much better, thank you.", new AttachmentUpload("rash.png", "image/png", new MemoryStream(png)));
        var second = await replies.ReplyAsync(token, "And another thing");

        first.Accepted.Should().BeTrue();
        second.Status.Should().Be(ReplyLinkStatus.AlreadyUsed);
        var messages = await _services.GetRequiredService<IMessageService>().ListAsync(Bob, sent.ConversationId);
        messages.Select(m => m.Direction).Should().Equal(MessageDirection.Outbound, MessageDirection.Inbound);
        messages[1].Attachments.Should().ContainSingle();
        var inbox = await _services.GetRequiredService<IInboxService>().GetPageAsync(Bob, new InboxRequest { WorkspaceId = Workspace, View = InboxView.AssignedTo(Bob) });
        inbox.Items.Should().ContainSingle().Which.IsUnread.Should().BeTrue();
        (await _services.GetRequiredService<IInboxService>().GetUnreadCountsAsync(Bob, Workspace)).AssignedToMe.Should().Be(1);
    }
}

public sealed class SqliteSdkFlowTests(SqliteTestDatabase database) : SdkFlowTests(database), IClassFixture<SqliteTestDatabase>
{
    protected override bool Available => true;

    [Fact]
    public Task A_patient_replies_once_and_the_reply_lands_unread() => A_patient_replies_once_and_the_reply_lands_unread_in_the_assignees_inbox();
}

public sealed class PostgresSdkFlowTests(PostgresTestDatabase database) : SdkFlowTests(database), IClassFixture<PostgresTestDatabase>
{
    protected override bool Available => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MESSAGING_POSTGRES")) || Peers.Required;

    [PeerFact("MESSAGING_POSTGRES")]
    public Task A_patient_replies_once_and_the_reply_lands_unread() => A_patient_replies_once_and_the_reply_lands_unread_in_the_assignees_inbox();
}

/// <summary>Attachment bytes kept in memory: the store under test holds the records, this the files.</summary>
internal sealed class MemoryAttachmentStore : IAttachmentStore
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<AttachmentId, byte[]> _files = new();

    public async Task WriteAsync(AttachmentId id, Stream content, CancellationToken cancellationToken = default)
    {
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, cancellationToken);
        _files[id] = copy.ToArray();
    }

    public Task<Stream?> OpenReadAsync(AttachmentId id, CancellationToken cancellationToken = default)
        => Task.FromResult<Stream?>(_files.TryGetValue(id, out var bytes) ? new MemoryStream(bytes, writable: false) : null);

    public Task DeleteAsync(AttachmentId id, CancellationToken cancellationToken = default)
    {
        _files.TryRemove(id, out _);
        return Task.CompletedTask;
    }
}
