using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Messaging.Outbox;
using Messaging.Storage.EfCore.Model;
using Messaging.Storage.EfCore.Tests.Support;
using Messaging.Testing.Peers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Messaging.Storage.EfCore.Tests.Outbox;

/// <summary>
/// R20/R29 with real processes (issue 16): two dispatcher processes (tests/Messaging.Outbox.Chaos, real time, a short
/// lease) share one PostgreSQL database and send 2,000 SMS to a recording HTTP provider on 127.0.0.1. One of them is
/// killed with SIGKILL at random points, several times, and restarted after each kill. Afterwards every message is Sent
/// and the provider saw each idempotency key once — except keys it had accepted whose message was not yet recorded Sent
/// when a process was killed (the acceptance window no SDK write can close), which are counted and reported apart.
/// </summary>
public sealed class ChaosTests(PostgresTestDatabase database, ITestOutputHelper output) : IClassFixture<PostgresTestDatabase>, IAsyncLifetime
{
    private const int Messages = 2_000;
    private const int Kills = 4;
    private static readonly OrganisationId Trust = new("chaos-trust");
    private static readonly WorkspaceId Workspace = new("chaos");
    private static readonly StaffId Sender = new("sender");
    private static readonly PatientId Patient = new("p-1");
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(110);

    private readonly List<Child> _children = [];
    private ServiceProvider? _host;

    public async Task InitializeAsync()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MESSAGING_POSTGRES")) && !Peers.Required)
        {
            return; // the test skips
        }

        await database.ResetAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var child in _children)
        {
            child.Kill();
        }

        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [PeerFact("MESSAGING_POSTGRES")]
    public async Task Two_dispatcher_processes_one_killed_repeatedly_lose_nothing_and_repeat_a_send_only_in_the_acceptance_window()
    {
        var elapsed = Stopwatch.StartNew(); // reported, never asserted
        using var deadline = new CancellationTokenSource(Deadline);
        var queued = await QueueAsync();
        var queuedAt = elapsed.Elapsed;
        using var recorder = Recorder.Start();
        var seed = Environment.TickCount;
        var random = new Random(seed);

        var victim = Start(recorder, "victim-0");
        Start(recorder, "survivor");
        var unrecordedAtKill = new HashSet<string>();
        var kills = new List<int>();
        for (var kill = 1; kill <= Kills; kill++)
        {
            var at = Math.Min(recorder.Received + random.Next(100, 400), (Messages * 9) / 10);
            await WaitUntilAsync(() => Task.FromResult(recorder.Received >= at), deadline.Token, $"the provider to receive {at} sends before kill {kill}");
            victim.Kill();
            kills.Add(recorder.Received);

            // Accepted by the provider, not recorded Sent: if the dead process made those calls, its write never comes.
            var sent = await SentAsync();
            unrecordedAtKill.UnionWith(recorder.Keys.Where(key => !sent.Contains(key)));
            victim = Start(recorder, $"victim-{kill}");
        }

        await WaitUntilAsync(async () => (await SentAsync()).Count == Messages, deadline.Token, "every message to be recorded Sent");
        foreach (var child in _children)
        {
            child.Kill();
        }

        var received = recorder.Counts;
        var sentAtEnd = await SentAsync();
        var keys = queued.Select(id => id.ToString()).ToList();
        var lost = keys.Count(key => !sentAtEnd.Contains(key) || !received.ContainsKey(key));
        var repeated = received.Where(r => r.Value > 1).Select(r => r.Key).ToList();
        var inWindow = repeated.Count(unrecordedAtKill.Contains);
        var outside = repeated.Count - inWindow;
        output.WriteLine($"seed {seed}; {Messages} messages queued in {queuedAt.TotalSeconds:F1} s; {Kills} SIGKILLs at {string.Join(", ", kills)} provider receipts");
        output.WriteLine($"provider receipts {received.Values.Sum()}, distinct keys {received.Count}; lost {lost}");
        output.WriteLine($"accepted but unrecorded at a kill: {unrecordedAtKill.Count}; sent again in the acceptance window: {inWindow}; duplicates outside it: {outside}");
        output.WriteLine($"took {elapsed.Elapsed.TotalSeconds:F1} s");

        lost.Should().Be(0, "no message is lost");
        outside.Should().Be(0, "a message reaches the provider twice only when a kill fell between its acceptance and the SDK's write");
        received.Keys.Should().BeSubsetOf(keys);
    }

    /// <summary>Starts a dispatcher process on the test's database, sending to <paramref name="recorder"/>.</summary>
    private Child Start(Recorder recorder, string name)
    {
        var child = new Child(name, ChildDll(), database.ConnectionString, recorder.BaseUrl);
        _children.Add(child);
        return child;
    }

    /// <summary>The chaos program's build output beside this test assembly's: same configuration and framework.</summary>
    private static string ChildDll()
    {
        var here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var framework = Path.GetFileName(here);
        var configuration = Path.GetFileName(Path.GetDirectoryName(here)!);
        var tests = Path.GetFullPath(Path.Combine(here, "..", "..", "..", ".."));
        var dll = Path.Combine(tests, "Messaging.Outbox.Chaos", "bin", configuration, framework, "Messaging.Outbox.Chaos.dll");
        File.Exists(dll).Should().BeTrue($"the chaos program is built with the tests ({dll})");
        return dll;
    }

    private async Task WaitUntilAsync(Func<Task<bool>> done, CancellationToken deadline, string what)
    {
        while (!await done())
        {
            foreach (var child in _children.Where(c => !c.Killed && c.HasExited))
            {
                throw new InvalidOperationException($"Dispatcher process {child.Name} exited by itself while waiting for {what}:\n{child.Errors}");
            }

            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"Gave up waiting for {what} after {Deadline}.");
            }

            await Task.Delay(50, CancellationToken.None); // polling a condition, not waiting for a duration
        }
    }

    /// <summary>The ids (as idempotency keys) of the messages recorded Sent now.</summary>
    private async Task<HashSet<string>> SentAsync()
    {
        await using var db = _host!.GetRequiredService<MessagingDbContextFactory>().Create();
        var ids = await db.Messages.Where(m => m.Status == DeliveryStatus.Sent).Select(m => m.Id).ToListAsync();
        return [.. ids.Select(id => new MessageId(id).ToString())];
    }

    /// <summary>Sets up the trust and queues <see cref="Messages"/> SMS through the public send path.</summary>
    private async Task<IReadOnlyList<MessageId>> QueueAsync()
    {
        _host = database.BuildServices(services => services.Configure<OutboxOptions>(o => o.RunInBackground = false));
        await _host.GetRequiredService<IWorkspaceService>().CreateOrganisationAsync(new CreateOrganisationRequest
        {
            OrganisationId = Trust,
            Name = "Chaos NHS Trust",
            DefaultWorkspaceId = Workspace,
            FirstAdmin = new NewMember(Sender, "sender@trust.example", "Sender"),
        });
        await _host.GetRequiredService<IPatientService>().RegisterAsync(Sender, Workspace, new PatientRegistration
        {
            PatientId = Patient, NhsNumber = "943 476 5919", DateOfBirth = new NodaTime.LocalDate(1970, 3, 14), GivenName = "Jane", FamilyName = "Doe", Mobile = "07400 123456",
        });
        await _host.GetRequiredService<ICreditService>().PurchaseAsync(Sender, Trust, Messages, "INV-CHAOS");

        var messages = _host.GetRequiredService<IMessageService>();
        var ids = new ConcurrentBag<MessageId>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Messages), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var message = await messages.SendAsync(Sender, new SendMessageRequest { WorkspaceId = Workspace, Channel = MessageChannel.Sms, PatientId = Patient, Body = $"Reminder {i}" }, ct);
            ids.Add(message.Id);
        });
        return [.. ids];
    }

    /// <summary>One dispatcher process: <c>dotnet Messaging.Outbox.Chaos.dll</c>, killed with SIGKILL.</summary>
    private sealed class Child
    {
        private readonly Process _process;
        private readonly StringBuilder _errors = new();

        public Child(string name, string dll, string connectionString, Uri recorder)
        {
            Name = name;
            var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add(dll);
            start.Environment["MESSAGING_CHAOS_DB"] = connectionString;
            start.Environment["MESSAGING_CHAOS_RECORDER"] = recorder.ToString();
            _process = Process.Start(start)!;
            _process.ErrorDataReceived += (_, e) =>
            {
                lock (_errors)
                {
                    _errors.AppendLine(e.Data);
                }
            };
            _process.OutputDataReceived += (_, _) => { };
            _process.BeginErrorReadLine();
            _process.BeginOutputReadLine();
        }

        public string Name { get; }

        public bool Killed { get; private set; }

        public bool HasExited => _process.HasExited;

        public string Errors
        {
            get
            {
                lock (_errors)
                {
                    return _errors.ToString();
                }
            }
        }

        /// <summary>SIGKILL: the process stops between any two instructions, its in-flight calls and writes with it.</summary>
        public void Kill()
        {
            if (Killed)
            {
                return;
            }

            Killed = true;
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }

            _process.Dispose();
        }
    }

    /// <summary>
    /// The recording provider: answers <c>POST /sms</c> (the body is the idempotency key) with 200 and a provider id, as
    /// a provider accepting a message would, and counts each key it received.
    /// </summary>
    private sealed class Recorder : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentDictionary<string, int> _counts = new();
        private int _received;

        private Recorder(int port)
        {
            BaseUrl = new Uri($"http://127.0.0.1:{port}/");
            _listener.Prefixes.Add(BaseUrl.ToString());
            _listener.Start();
            _ = Task.Run(AcceptAsync);
        }

        public Uri BaseUrl { get; }

        /// <summary>Receipts so far, repeats included.</summary>
        public int Received => Volatile.Read(ref _received);

        public IReadOnlyCollection<string> Keys => [.. _counts.Keys];

        public IReadOnlyDictionary<string, int> Counts => new Dictionary<string, int>(_counts);

        public static Recorder Start()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return new Recorder(port);
        }

        public void Dispose() => _listener.Close();

        private async Task AcceptAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                _ = Task.Run(() => AnswerAsync(context));
            }
        }

        private async Task AnswerAsync(HttpListenerContext context)
        {
            try
            {
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var key = await reader.ReadToEndAsync();
                var n = _counts.AddOrUpdate(key, 1, (_, c) => c + 1);
                Interlocked.Increment(ref _received);
                var body = Encoding.UTF8.GetBytes($"rec-{key}-{n}");
                context.Response.StatusCode = 200;
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // the caller was killed mid-request
            }
        }
    }
}
