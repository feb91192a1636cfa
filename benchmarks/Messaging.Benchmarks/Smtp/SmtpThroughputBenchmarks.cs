using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Messaging.Providers.Smtp;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;

namespace Messaging.Benchmarks.Smtp;

/// <summary>
/// Messages per second through the SMTP provider to a real SMTP server on 127.0.0.1 (issue 9): one reused connection,
/// against a new connection per message (what the pool saves), and four pooled connections in parallel; over plain SMTP
/// and over implicit TLS with AUTH, where a new connection also costs a TLS handshake and an AUTH exchange.
/// </summary>
/// <remarks>
/// Needs the local SMTP sink; from the repository root:
/// <code>
/// eval "$(bash tools/peers/start-smtp.sh)"
/// dotnet run -c Release --project benchmarks/Messaging.Benchmarks -- --filter '*SmtpThroughput*'
/// bash tools/peers/start-smtp.sh stop
/// </code>
/// The sink's store is emptied at the start of each case, so do not run this while tests use the same sinks (start a
/// private set with <c>TMPDIR=/tmp/smtp-bench MESSAGING_SMTP_PORT_BASE=2625 bash tools/peers/start-smtp.sh</c>).
/// The sink is Python (aiosmtpd), one thread, on the same machine, so the figures bound the provider from below: a
/// production relay on its own host answers faster. Each operation is one message (OperationsPerInvoke).
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(MessagesPerSecondConfig))]
public class SmtpThroughputBenchmarks
{
    private const int Messages = 50;
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 23, 9, 0);

    private SmtpEmailProvider _oneConnection = null!;
    private MailKit.Net.Smtp.SmtpClient _bareClient = null!;
    private SmtpEmailProvider _fourConnections = null!;
    private EmailSendRequest[] _requests = null!;
    private string _host = null!;
    private int _port;

    /// <summary><c>plain</c>: no TLS, no AUTH. <c>tls+auth</c>: implicit TLS (self-signed certificate) and AUTH PLAIN.</summary>
    [Params("plain", "tls+auth")]
    public string Transport { get; set; } = "plain";

    private bool Tls => Transport == "tls+auth";

    [GlobalSetup]
    public void Setup()
    {
        _host = Required("MESSAGING_SMTP_HOST");
        _port = int.Parse(Required(Tls ? "MESSAGING_SMTP_IMPLICIT_TLS_PORT" : "MESSAGING_SMTP_PORT"), System.Globalization.CultureInfo.InvariantCulture);
        ClearSinkStore();
        _oneConnection = Create(1);
        _fourConnections = Create(4);

        // A typical notification: short text and HTML bodies with a reply link.
        _requests = Enumerable.Range(0, Messages).Select(i => new EmailSendRequest(
            EmailAddress.Parse($"patient{i}@example.test"),
            "A message from Riverside Clinic",
            $"Dear patient,\nyou have a new message. Read and reply here: https://ehr.riverside.nhs.test/m/r/{i:D8}?t=9f8e7d6c\n",
            $"bench-{i}")
        {
            HtmlBody = $"<p>Dear patient,</p><p>You have a new message. <a href=\"https://ehr.riverside.nhs.test/m/r/{i:D8}?t=9f8e7d6c\">Read and reply</a>.</p>",
        }).ToArray();

        _bareClient = new MailKit.Net.Smtp.SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        _bareClient.Connect(_host, _port, Tls ? MailKit.Security.SecureSocketOptions.SslOnConnect : MailKit.Security.SecureSocketOptions.None);
        if (Tls)
        {
            _bareClient.Authenticate(Required("MESSAGING_SMTP_USER"), Required("MESSAGING_SMTP_PASSWORD"));
        }

        // Open the pooled connections before measuring.
        _oneConnection.SendAsync(_requests[0]).GetAwaiter().GetResult();
        Task.WhenAll(Enumerable.Range(0, 4).Select(i => _fourConnections.SendAsync(_requests[i]))).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _oneConnection.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _fourConnections.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _bareClient.Disconnect(quit: true);
        _bareClient.Dispose();
    }

    /// <summary>Sequential sends, each opening (and closing) its own connection: no reuse.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public async Task NewConnectionPerMessage()
    {
        foreach (var request in _requests)
        {
            await using var provider = Create(1);
            Check(await provider.SendAsync(request));
        }
    }

    /// <summary>Sequential sends through one reused connection.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task OneReusedConnection()
    {
        foreach (var request in _requests)
        {
            Check(await _oneConnection.SendAsync(request));
        }
    }

    /// <summary>
    /// Reference, not the provider: the same MIME messages sent with a bare MailKit client over one open connection,
    /// so the difference to <see cref="OneReusedConnection"/> is what the provider itself adds.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task BareMailKitOneConnection()
    {
        var from = new MimeKit.MailboxAddress("Riverside Clinic", "clinic@riverside.nhs.test");
        foreach (var request in _requests)
        {
            using var message = SmtpMessages.Build(request, from, SmtpMessages.MessageIdFor(request.IdempotencyKey, "riverside.nhs.test"), Now);
            await _bareClient.SendAsync(message);
        }
    }

    /// <summary>The same messages sent four at a time through a pool of four reused connections.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task FourPooledConnectionsInParallel()
    {
        var results = await Task.WhenAll(_requests.Select(r => _fourConnections.SendAsync(r)));
        foreach (var result in results)
        {
            Check(result);
        }
    }

    private SmtpEmailProvider Create(int connections) => new(
        Options.Create(new SmtpEmailOptions
        {
            Host = _host,
            Port = _port,
            TlsMode = Tls ? SmtpTlsMode.ImplicitTls : SmtpTlsMode.None,
            UserName = Tls ? Required("MESSAGING_SMTP_USER") : null,
            Password = Tls ? Required("MESSAGING_SMTP_PASSWORD") : null,
            AllowInvalidCertificates = Tls,
            FromAddress = "clinic@riverside.nhs.test",
            FromName = "Riverside Clinic",
            MaxConnections = connections,
        }),
        new FakeClock(Now));

    /// <summary>
    /// Empties the sink's store before each case: it keeps every mail in memory, and a Python heap of tens of
    /// thousands of mails slows the sink down, which would make later cases look slower than earlier ones.
    /// </summary>
    private void ClearSinkStore()
    {
        var api = Environment.GetEnvironmentVariable(Tls ? "MESSAGING_SMTP_IMPLICIT_TLS_API" : "MESSAGING_SMTP_API");
        if (string.IsNullOrEmpty(api))
        {
            return;
        }

        using var http = new HttpClient();
        using var response = http.DeleteAsync(new Uri(api.TrimEnd('/') + "/email/all")).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
    }

    private static string Required(string variable)
        => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set: run eval \"$(bash tools/peers/start-smtp.sh)\" first.");

    private static void Check(ProviderSendResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"The sink refused a benchmark message: {result.ErrorCode} {result.ErrorDescription}");
        }
    }

    private sealed class MessagesPerSecondConfig : ManualConfig
    {
        public MessagesPerSecondConfig() => AddColumn(new MessagesPerSecondColumn());
    }

    /// <summary>1 / Mean: each operation is one message.</summary>
    private sealed class MessagesPerSecondColumn : IColumn
    {
        public string Id => nameof(MessagesPerSecondColumn);

        public string ColumnName => "Messages/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Messages handed to the SMTP server per second (1 / Mean)";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
            => summary[benchmarkCase]?.ResultStatistics is { Mean: > 0 } s
                ? (1e9 / s.Mean).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)
                : "-";

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
