using BenchmarkDotNet.Attributes;
using Messaging.Testing.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;

namespace Messaging.Benchmarks.Sending;

/// <summary>
/// The send path's throughput (R20): <c>SendAsync</c> (validate, count segments, charge, write message + outbox +
/// ledger + conversation atomically) over the in-memory store, and the same followed by the dispatcher handing the
/// messages to a fake provider. One operation = <see cref="Batch"/> messages, so messages/s = Batch / Mean.
/// </summary>
[MemoryDiagnoser]
public class SendPathBenchmarks
{
    public const int Batch = 1000;
    private static readonly WorkspaceId Workspace = new("bench-ws");
    private static readonly StaffId Sender = new("sender");
    private static readonly PatientId Patient = new("p-1");

    private ServiceProvider _services = null!;
    private IMessageService _messages = null!;
    private IOutboxDispatcher _dispatcher = null!;
    private SendMessageRequest _request = null!;

    [IterationSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [IterationCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Description = "SendAsync x1000 (queued)", OperationsPerInvoke = Batch)]
    public async Task Queue()
    {
        for (var i = 0; i < Batch; i++)
        {
            await _messages.SendAsync(Sender, _request);
        }
    }

    [Benchmark(Description = "SendAsync + dispatch x1000 (sent)", OperationsPerInvoke = Batch)]
    public async Task QueueAndDispatch()
    {
        for (var i = 0; i < Batch; i++)
        {
            await _messages.SendAsync(Sender, _request);
        }

        while (await _dispatcher.DispatchDueAsync() > 0)
        {
        }
    }

    private async Task SetupAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2026, 11, 23, 9, 0)));
        services.AddPatientMessaging(o =>
        {
            o.PublicBaseUrl = new Uri("https://bench.example/m/");
            o.LinkKey = "bGluay1rZXktZm9yLXRlc3RzLW9ubHktMzItYnl0ZXMhIQ==";
        }).AddInMemoryStore();
        services.AddSingleton<ISmsProvider>(new FakeSmsProvider());
        services.Configure<Outbox.OutboxOptions>(o => o.BatchSize = 500);
        _services = services.BuildServiceProvider();

        var org = new OrganisationId("bench-org");
        await _services.GetRequiredService<IWorkspaceService>().CreateOrganisationAsync(new CreateOrganisationRequest
        {
            OrganisationId = org, Name = "Bench trust", DefaultWorkspaceId = Workspace, FirstAdmin = new NewMember(Sender, "sender@bench.example", "Sender"),
        });
        await _services.GetRequiredService<IPatientService>().RegisterAsync(Sender, Workspace, new PatientRegistration
        {
            PatientId = Patient, NhsNumber = "9434765919", DateOfBirth = new LocalDate(1970, 3, 14), GivenName = "Jane", FamilyName = "Doe", Mobile = "07400 123456",
        });
        await _services.GetRequiredService<ICreditService>().PurchaseAsync(Sender, org, 1_000_000, "bench");
        var conversation = await _services.GetRequiredService<IConversationService>().StartAsync(Sender, Workspace, Patient);

        _messages = _services.GetRequiredService<IMessageService>();
        _dispatcher = _services.GetRequiredService<IOutboxDispatcher>();
        _request = new SendMessageRequest
        {
            WorkspaceId = Workspace,
            Channel = MessageChannel.Sms,
            ConversationId = conversation.Id,
            Body = "Dear Jane, your appointment at the dermatology clinic is on Tuesday 3 March 2026 at 10:30. Reply if you need to rearrange.",
        };
    }
}
