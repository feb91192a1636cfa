using BenchmarkDotNet.Attributes;
using Messaging.Storage;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;

namespace Messaging.Benchmarks.Inbox;

/// <summary>
/// R7: the first page of "assigned to me" should cost the same at 1k and 100k conversations. Measured through the
/// public inbox service (membership check, page token, store query) over the in-memory store.
/// </summary>
[MemoryDiagnoser]
public class InboxFirstPageBenchmarks
{
    private static readonly WorkspaceId Workspace = new("bench-ws");
    private static readonly StaffId Me = new("me");
    private static readonly StaffId[] Colleagues = [new("c1"), new("c2"), new("c3"), new("c4")];

    private ServiceProvider _services = null!;
    private IInboxService _inbox = null!;
    private InboxRequest _request = null!;

    [Params(1_000, 100_000)]
    public int Conversations { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2026, 11, 23, 9, 0)));
        services.AddPatientMessaging(o =>
        {
            o.PublicBaseUrl = new Uri("https://bench.example/m/");
            o.LinkKey = "bGluay1rZXktZm9yLXRlc3RzLW9ubHktMzItYnl0ZXMhIQ==";
        }).AddInMemoryStore();
        _services = services.BuildServiceProvider();
        var workspaces = _services.GetRequiredService<IWorkspaceService>();
        await workspaces.CreateOrganisationAsync(new CreateOrganisationRequest
        {
            OrganisationId = new OrganisationId("bench-org"),
            Name = "Bench trust",
            DefaultWorkspaceId = Workspace,
            FirstAdmin = new NewMember(Me, "me@bench.example", "Me"),
        });

        // A fifth of the conversations are mine; the rest are spread over colleagues. Activity times are distinct.
        var store = _services.GetRequiredService<IMessagingStore>();
        var random = new Random(42);
        var start = Instant.FromUtc(2020, 1, 1, 0, 0);
        var work = await store.BeginAsync();
        await using (work)
        {
            for (var i = 0; i < Conversations; i++)
            {
                var owner = i % 5 == 0 ? Me : Colleagues[random.Next(Colleagues.Length)];
                work.AddConversation(new Conversation
                {
                    Id = ConversationId.New(),
                    OrganisationId = new OrganisationId("bench-org"),
                    WorkspaceId = Workspace,
                    PatientId = new PatientId($"p{i % 5000}"),
                    StartedBy = owner,
                    Assignee = Assignee.Staff(owner),
                    Status = random.Next(4) == 0 ? ConversationStatus.Done : ConversationStatus.Open,
                    Participants = [owner],
                    CreatedAt = start,
                    LastActivityAt = start.Plus(Duration.FromSeconds(random.Next(0, 150_000_000))),
                    ActivitySequence = random.Next(0, 3),
                    Version = 1,
                });
            }

            await work.CommitAsync();
        }

        _inbox = _services.GetRequiredService<IInboxService>();
        _request = new InboxRequest { WorkspaceId = Workspace, View = InboxView.AssignedTo(Me), Status = ConversationStatusFilter.Open, PageSize = 25 };
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Description = "first page, assigned to me, open, 25 rows")]
    public Task<InboxResult> FirstPage() => _inbox.GetPageAsync(Me, _request);
}
