using System.Globalization;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Messaging.Providers.Smtp.Tests.Support;
using Messaging.Testing.Peers;
using Messaging.Testing.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Messaging.Providers.Smtp.Tests.Conformance;

/// <summary>
/// The kit's email status-reporting suite against the SMTP provider and its bounce reader, with the real bouncing relay
/// (tools/peers/start-mailrelay.sh: Postfix bounces <c>ghost@undeliverable.test</c> with 5.1.1 and delivers to the known
/// mailbox, reporting success when asked) and the reader reading the reports from Dovecot over IMAP. The reader applies
/// updates through <see cref="IDeliveryStatusService"/>; here that service records them for the kit.
/// </summary>
[RelayPeer]
public sealed class SmtpStatusReportingConformanceTests : EmailStatusReportingConformanceTests, IAsyncLifetime
{
    private const string Mailbox = "bounces-8@trust.test";
    private const string From = "clinic@riverside.test";

    private readonly List<SmtpEmailProvider> _providers = [];

    private static string Host => Peers.Get("MESSAGING_RELAY_HOST");

    private static int Port(string variable) => int.Parse(Peers.Get(variable), CultureInfo.InvariantCulture);

    protected override EmailAddress DeliverableAddress => EmailAddress.Parse(Peers.Get("MESSAGING_RELAY_KNOWN"));

    protected override EmailAddress UndeliverableAddress => EmailAddress.Parse("ghost@undeliverable.test");

    /// <summary>The provider as a host gets it: its own DSN-asking client, success reports on.</summary>
    protected override Task<IEmailProvider> CreateProviderAsync(ILoggerProvider logs)
    {
        var provider = new SmtpEmailProvider(
            Microsoft.Extensions.Options.Options.Create(SenderOptions()), new NodaTime.Testing.FakeClock(TestProviders.Now), new LoggerFactory([logs]).CreateLogger<SmtpEmailProvider>());
        _providers.Add(provider);
        return Task.FromResult<IEmailProvider>(provider);
    }

    protected override async Task<IReadOnlyList<DeliveryStatusUpdate>> ReadReportsAsync(ILoggerProvider logs, CancellationToken cancellationToken)
    {
        var recorded = new RecordingStatuses();
        var services = new ServiceCollection().AddSingleton<IDeliveryStatusService>(recorded).BuildServiceProvider();
        await using (services)
        {
            var reader = new SmtpBounceReader(
                Microsoft.Extensions.Options.Options.Create(new SmtpBounceReaderOptions
                {
                    Host = Host, Port = Port("MESSAGING_RELAY_IMAP_PORT"), TlsMode = SmtpTlsMode.None,
                    UserName = Mailbox, Password = Peers.Get("MESSAGING_RELAY_PASSWORD"),
                }),
                Microsoft.Extensions.Options.Options.Create(SenderOptions()),
                services.GetRequiredService<IServiceScopeFactory>(),
                TimeProvider.System,
                new LoggerFactory([logs]).CreateLogger<SmtpBounceReader>());
            await reader.ReadOnceAsync(cancellationToken);
        }

        return recorded.Updates;
    }

    protected override async Task PlantReportAsync(string providerMessageId, EmailReportKind kind)
    {
        var (action, status) = kind switch
        {
            EmailReportKind.Delayed => ("delayed", "4.4.1"),
            EmailReportKind.Failed => ("failed", "5.1.1"),
            _ => ("delivered", "2.0.0"),
        };
        var dsn = new MessageDeliveryStatus();
        dsn.StatusGroups.Add(new HeaderList { { "Reporting-MTA", "dns; relay.test" }, { "Original-Envelope-Id", providerMessageId.Trim('<', '>').Split('@')[0] } });
        dsn.StatusGroups.Add(new HeaderList { { "Final-Recipient", "rfc822; someone@example.test" }, { "Action", action }, { "Status", status } });
        var report = new MimeMessage { Subject = "Delivery Status Notification", Body = new MultipartReport("delivery-status") { new TextPart("plain") { Text = "Delivery report." }, dsn } };
        report.From.Add(new MailboxAddress("Mail Delivery System", "MAILER-DAEMON@relay.test"));
        report.To.Add(MailboxAddress.Parse(Mailbox));
        using var client = await MailboxAsync();
        await client.Inbox.AppendAsync(report);
        await client.DisconnectAsync(quit: true);
    }

    /// <summary>Starts from an empty mailbox: the relay may be reused between runs.</summary>
    public async Task InitializeAsync()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MESSAGING_RELAY_HOST")))
        {
            return;
        }

        using var client = await MailboxAsync();
        var all = await client.Inbox.SearchAsync(SearchQuery.All);
        if (all.Count > 0)
        {
            await client.Inbox.AddFlagsAsync(all, MessageFlags.Deleted, silent: true);
            await client.Inbox.ExpungeAsync();
        }

        await client.DisconnectAsync(quit: true);
    }

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }
    }

    private static SmtpEmailOptions SenderOptions() => TestProviders.Options(Host, Port("MESSAGING_RELAY_SMTP_PORT"), o =>
    {
        o.FromAddress = From;
        o.ReturnPath = Mailbox;
        o.ReportSuccess = true;
    });

    private static async Task<ImapClient> MailboxAsync()
    {
        var client = new ImapClient();
        await client.ConnectAsync(Host, Port("MESSAGING_RELAY_IMAP_PORT"), MailKit.Security.SecureSocketOptions.None);
        await client.AuthenticateAsync(Mailbox, Peers.Get("MESSAGING_RELAY_PASSWORD"));
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
        return client;
    }

    /// <summary>Records what the reader applies and answers as the SDK would for a known message, so the reader flags each report read.</summary>
    private sealed class RecordingStatuses : IDeliveryStatusService
    {
        private readonly List<DeliveryStatusUpdate> _updates = [];

        public IReadOnlyList<DeliveryStatusUpdate> Updates => _updates;

        public Task<DeliveryUpdateOutcome> ApplyAsync(DeliveryStatusUpdate update, CancellationToken cancellationToken = default)
        {
            _updates.Add(update);
            return Task.FromResult(DeliveryUpdateOutcome.Applied);
        }
    }
}

/// <summary>Skips the suite, with how to start it, when the bouncing relay is not running (and peers are not required).</summary>
public sealed class RelayPeerAttribute : ProviderConditionAttribute
{
    public override string? SkipReason(IReadOnlyCollection<ProviderAnswer> answers)
        => string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MESSAGING_RELAY_HOST")) && !Peers.Required
            ? "MESSAGING_RELAY_HOST is not set: run `bash tools/test.sh` (or tools/peers/start-mailrelay.sh) to start Postfix and Dovecot."
            : null;
}
