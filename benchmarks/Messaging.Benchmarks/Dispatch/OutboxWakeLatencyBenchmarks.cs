using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using RunStrategy = BenchmarkDotNet.Engines.RunStrategy;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Messaging.Benchmarks.EfCore;
using Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using IHost = Microsoft.Extensions.Hosting.IHost;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace Messaging.Benchmarks.Dispatch;

/// <summary>
/// Issue 16, "polling latency" (R29): the time from <c>SendAsync</c> returning to the provider being called, with the
/// dispatcher running as a host runs it (the hosted service started by the generic host). Each iteration sends
/// <see cref="Sends"/> SMS at random moments, 0–40 ms apart, and waits until the provider saw them all; the latencies of
/// every measured iteration (the first, a warm-up, is dropped) are reported as p50/p90/p99 columns, with n the sample count.
/// <list type="bullet">
/// <item><description><b>InMemory</b>, <b>SQLite</b>: one host sends and dispatches.</description></item>
/// <item><description><b>PostgreSQL</b> (only when MESSAGING_POSTGRES is set): two hosts on one database — one only sends
/// (<c>RunInBackground = false</c>), the other only dispatches — so the wake-up must cross instances.</description></item>
/// </list>
/// Mean is the whole iteration (mostly the random gaps between sends), not a latency.
/// </summary>
[Config(typeof(LatencyConfig))]
public class OutboxWakeLatencyBenchmarks
{
    public const int Sends = 200;
    public const string InMemory = "InMemory";
    private static readonly OrganisationId Org = new("bench-org");
    private static readonly WorkspaceId Workspace = new("bench-ws");
    private static readonly StaffId Sender = new("sender");
    private static readonly PatientId Patient = new("p-1");

    private readonly ConcurrentDictionary<string, long> _returned = new();
    private readonly ConcurrentDictionary<string, long> _called = new();
    private readonly List<double> _latenciesMs = [];
    private readonly Random _random = new(16);
    private BenchDatabase? _database;
    private IHost _sender = null!;
    private IHost? _dispatcher;
    private IMessageService _messages = null!;
    private SendMessageRequest _request = null!;
    private TaskCompletionSource _allCalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _iteration;

    [ParamsSource(nameof(Stores))]
    public string Store { get; set; } = InMemory;

    public static IEnumerable<string> Stores()
    {
        yield return InMemory;
        yield return BenchDatabase.Sqlite;
        if (Environment.GetEnvironmentVariable("MESSAGING_POSTGRES") is not null)
        {
            yield return BenchDatabase.Postgres;
        }
    }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        if (Store != InMemory)
        {
            _database = await BenchDatabase.CreateAsync(Store);
        }

        var twoInstances = Store == BenchDatabase.Postgres;
        _sender = await StartHostAsync(dispatch: !twoInstances);
        if (twoInstances)
        {
            _dispatcher = await StartHostAsync(dispatch: true);
        }

        var services = _sender.Services;
        await services.GetRequiredService<IWorkspaceService>().CreateOrganisationAsync(new CreateOrganisationRequest
        {
            OrganisationId = Org, Name = "Bench trust", DefaultWorkspaceId = Workspace, FirstAdmin = new NewMember(Sender, "sender@bench.example", "Sender"),
        });
        await services.GetRequiredService<IPatientService>().RegisterAsync(Sender, Workspace, new PatientRegistration
        {
            PatientId = Patient, NhsNumber = "9434765919", DateOfBirth = new LocalDate(1970, 3, 14), GivenName = "Jane", FamilyName = "Doe", Mobile = "07400 123456",
        });
        await services.GetRequiredService<ICreditService>().PurchaseAsync(Sender, Org, 10_000_000, "bench");
        var conversation = await services.GetRequiredService<IConversationService>().StartAsync(Sender, Workspace, Patient);
        _messages = services.GetRequiredService<IMessageService>();
        _request = new SendMessageRequest { WorkspaceId = Workspace, Channel = MessageChannel.Sms, ConversationId = conversation.Id, Body = "Your appointment is on Tuesday at 10:30." };
    }

    [IterationSetup]
    public void IterationSetup()
    {
        _returned.Clear();
        _called.Clear();
        _allCalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [Benchmark(Description = "200 sends 0-40 ms apart, until all reached the provider")]
    public async Task SendAtRandomMoments()
    {
        for (var i = 0; i < Sends; i++)
        {
            await Task.Delay(_random.Next(0, 41));
            var message = await _messages.SendAsync(Sender, _request);
            _returned[message.Id.ToString()] = Stopwatch.GetTimestamp();
        }

        await _allCalled.Task.WaitAsync(TimeSpan.FromMinutes(2));
    }

    [IterationCleanup]
    public void IterationCleanup()
    {
        if (_iteration++ == 0)
        {
            return; // the warm-up
        }

        foreach (var (id, returned) in _returned)
        {
            // A call that came before SendAsync returned (the dispatcher can win the race) counts as no wait at all.
            _latenciesMs.Add(Math.Max(0, Stopwatch.GetElapsedTime(returned, _called[id]).TotalMilliseconds));
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        LatencyColumn.Write(Store, _latenciesMs);
        foreach (var host in new[] { _dispatcher, _sender })
        {
            if (host is not null)
            {
                await host.StopAsync();
                host.Dispose();
            }
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private async Task<IHost> StartHostAsync(bool dispatch)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IClock>(SystemClock.Instance);
        var messaging = builder.Services.AddPatientMessaging(o =>
        {
            o.PublicBaseUrl = new Uri("https://bench.example/m/");
            o.LinkKey = "bGluay1rZXktZm9yLXRlc3RzLW9ubHktMzItYnl0ZXMhIQ==";
        });
        if (_database is null)
        {
            messaging.AddInMemoryStore();
        }
        else
        {
            var connectionString = _database.ConnectionString;
            var postgres = _database.IsPostgres;
            messaging.AddEntityFrameworkStore(db =>
            {
                if (postgres)
                {
                    db.UseNpgsql(connectionString);
                }
                else
                {
                    db.UseSqlite(connectionString);
                }
            });
        }

        builder.Services.AddSingleton<ISmsProvider>(new TimingSmsProvider(this));
        builder.Services.Configure<OutboxOptions>(o => o.RunInBackground = dispatch);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private void Called(string key)
    {
        if (_called.TryAdd(key, Stopwatch.GetTimestamp()) && _called.Count == Sends)
        {
            _allCalled.TrySetResult();
        }
    }

    private sealed class TimingSmsProvider(OutboxWakeLatencyBenchmarks owner) : ISmsProvider
    {
        public string Name => "timing-sms";

        public Task<ProviderSendResult> SendAsync(SmsSendRequest request, CancellationToken cancellationToken = default)
        {
            owner.Called(request.IdempotencyKey);
            return Task.FromResult(ProviderSendResult.Accepted(Guid.NewGuid().ToString("N")));
        }
    }

    private sealed class LatencyConfig : ManualConfig
    {
        public LatencyConfig()
        {
            AddJob(Job.Dry.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(0).WithIterationCount(3).WithInvocationCount(1).WithUnrollFactor(1));
            AddColumn(new LatencyColumn("n", s => s.Length.ToString(CultureInfo.InvariantCulture)));
            AddColumn(new LatencyColumn("p50", s => Percentile(s, 0.50)));
            AddColumn(new LatencyColumn("p90", s => Percentile(s, 0.90)));
            AddColumn(new LatencyColumn("p99", s => Percentile(s, 0.99)));
            AddColumn(new LatencyColumn("max", s => Percentile(s, 1.0)));
        }

        private static string Percentile(double[] sorted, double p)
        {
            if (sorted.Length == 0)
            {
                return "-";
            }

            var rank = (int)Math.Ceiling(p * sorted.Length) - 1;
            return sorted[Math.Clamp(rank, 0, sorted.Length - 1)].ToString("0.0 'ms'", CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// A latency percentile, read from the file the benchmark process wrote in its cleanup (BenchmarkDotNet runs the
    /// benchmark in a child process; columns are computed in the parent).
    /// </summary>
    private sealed class LatencyColumn(string name, Func<double[], string> format) : IColumn
    {
        private static string FileOf(string store) => Path.Combine(Path.GetTempPath(), "messaging-bench-outbox-latency", store + ".txt");

        public static void Write(string store, IEnumerable<double> latencies)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FileOf(store))!);
            File.WriteAllLines(FileOf(store), latencies.Select(l => l.ToString("R", CultureInfo.InvariantCulture)));
        }

        public string Id => "latency-" + name;

        public string ColumnName => name;

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => name == "n" ? "Latency samples (sends in measured iterations)" : $"{name} of the time from SendAsync returning to the provider call";

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var store = (string)benchmarkCase.Parameters["Store"];
            var file = FileOf(store);
            var samples = File.Exists(file)
                ? File.ReadAllLines(file).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).Order().ToArray()
                : [];
            return format(samples);
        }
    }
}
