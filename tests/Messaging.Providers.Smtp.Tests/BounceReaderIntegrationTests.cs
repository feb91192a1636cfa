using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Messaging.Testing.Fakes;
using Messaging.Testing.Peers;
using Messaging.Providers.Smtp.Tests.Support;
using Messaging.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MimeKit;
using NodaTime;
using NodaTime.Testing;

namespace Messaging.Providers.Smtp.Tests;

/// <summary>
/// R28 end to end against a real bouncing relay and IMAP mailbox (tools/peers/start-mailrelay.sh: Postfix + Dovecot):
/// the SDK sends through Postfix asking for DSNs, Postfix bounces or delivers and reports to the return path, and the
/// bounce reader applies the reports it reads from Dovecot. Each test has a bounce mailbox of its own. The hang guard
/// only turns a missing report into a failure.
/// </summary>
public sealed class BounceReaderIntegrationTests
{
    private const string HostVariable = "MESSAGING_RELAY_HOST";
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);
    private static readonly WorkspaceId Workspace = new("riverside");
    private static readonly StaffId Ann = new("ann");

    private sealed record Sdk(ServiceProvider Services, SmtpBounceReader Reader, string Bounces) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Services.DisposeAsync();

        public async Task<Message> SendAsync(string patientId)
        {
            var message = await Services.GetRequiredService<IMessageService>().SendAsync(Ann, new SendMessageRequest
            {
                WorkspaceId = Workspace, Channel = MessageChannel.Email, PatientId = new PatientId(patientId), Subject = "Your results", Body = "Your results are back.",
            });
            await Services.GetRequiredService<IOutboxDispatcher>().DispatchDueAsync();
            return await MessageAsync(message.Id);
        }

        /// <summary>What staff see in the patient's history for one message.</summary>
        public async Task<PatientHistoryEntry> HistoryAsync(string patientId, MessageId id)
        {
            var history = await Services.GetRequiredService<IPatientHistoryService>().GetHistoryAsync(Ann, new PatientHistoryRequest { WorkspaceId = Workspace, PatientId = new PatientId(patientId) });
            return history.Entries.Single(e => e.MessageId == id);
        }

        public async Task<Message> MessageAsync(MessageId id)
            => (await Services.GetRequiredService<Messaging.Storage.IMessagingStore>().GetMessageAsync(id))!;

        /// <summary>Reads the mailbox until a round read something (bounded by the hang guard).</summary>
        public async Task<int> ReadUntilSomethingAsync()
        {
            var until = DateTime.UtcNow + HangGuard;
            while (DateTime.UtcNow < until)
            {
                if (await Reader.ReadOnceAsync(CancellationToken.None) is > 0 and var read)
                {
                    return read;
                }

                await Task.Delay(200);
            }

            throw new TimeoutException("No report reached the bounce mailbox.");
        }
    }

    private static int ImapPort => int.Parse(Peers.Get("MESSAGING_RELAY_IMAP_PORT"), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<Sdk> SdkAsync(string mailbox, bool reportSuccess = false, TimeSpan? pollInterval = null, int? imapPort = null, bool useIdle = true)
    {
        var bounces = $"{mailbox}@trust.test";
        using (var leftovers = await MailboxAsync(bounces))
        {
            // The relay may be reused between runs (tools/peers reuse running peers): start from an empty mailbox.
            var all = await leftovers.Inbox.SearchAsync(SearchQuery.All);
            if (all.Count > 0)
            {
                await leftovers.Inbox.AddFlagsAsync(all, MessageFlags.Deleted, silent: true);
                await leftovers.Inbox.ExpungeAsync();
            }

            await leftovers.DisconnectAsync(quit: true);
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2026, 11, 23, 9, 0), Duration.FromSeconds(1)));
        services.AddSingleton<ISmsProvider>(new FakeSmsProvider());
        services.AddPatientMessaging(o =>
        {
            o.PublicBaseUrl = new Uri("https://ehr.riverside.nhs.test/m/");
            o.LinkKey = TestSecrets.LinkKey;
        })
            .AddInMemoryStore()
            .AddSmtpEmail(o =>
            {
                o.Host = Peers.Get(HostVariable);
                o.Port = int.Parse(Peers.Get("MESSAGING_RELAY_SMTP_PORT"), System.Globalization.CultureInfo.InvariantCulture);
                o.TlsMode = SmtpTlsMode.None;
                o.FromAddress = "clinic@riverside.test";
                o.ReturnPath = bounces;
                o.ReportSuccess = reportSuccess;
            })
            .AddSmtpBounceReader(o =>
            {
                o.Host = imapPort is null ? Peers.Get(HostVariable) : "127.0.0.1";
                o.Port = imapPort ?? ImapPort;
                o.TlsMode = SmtpTlsMode.None;
                o.UseIdle = useIdle;
                o.UserName = bounces;
                o.Password = Peers.Get("MESSAGING_RELAY_PASSWORD");
                o.PollInterval = pollInterval ?? o.PollInterval;
            });
        services.Configure<Messaging.Outbox.OutboxOptions>(o => o.RunInBackground = false);
        var provider = services.BuildServiceProvider();
        var workspaces = provider.GetRequiredService<IWorkspaceService>();
        await workspaces.CreateOrganisationAsync(new CreateOrganisationRequest
        {
            OrganisationId = new OrganisationId("riverside"), Name = "Riverside NHS Trust", DefaultWorkspaceId = Workspace,
            FirstAdmin = new NewMember(Ann, "ann@riverside.test", "Dr Ann Smith"),
        });
        var patients = provider.GetRequiredService<IPatientService>();
        foreach (var (id, email, nhs) in new[] { ("p-ghost", "ghost@undeliverable.test", "943 476 5919"), ("p-jane", Peers.Get("MESSAGING_RELAY_KNOWN"), "943 476 5870") })
        {
            await patients.RegisterAsync(Ann, Workspace, new PatientRegistration
            {
                PatientId = new PatientId(id), NhsNumber = nhs, DateOfBirth = new LocalDate(1970, 3, 14), GivenName = "Jane", FamilyName = "Doe", Email = email,
            });
        }

        return new Sdk(provider, provider.GetRequiredService<SmtpBounceReader>(), bounces);
    }

    private static async Task<ImapClient> MailboxAsync(string user)
    {
        var client = new ImapClient();
        await client.ConnectAsync(Peers.Get(HostVariable), int.Parse(Peers.Get("MESSAGING_RELAY_IMAP_PORT"), System.Globalization.CultureInfo.InvariantCulture), MailKit.Security.SecureSocketOptions.None);
        await client.AuthenticateAsync(user, Peers.Get("MESSAGING_RELAY_PASSWORD"));
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
        return client;
    }

    private static MimeMessage Report(string envelopeId, string action, string status)
    {
        var text = new TextPart("plain") { Text = "Delivery report." };
        var dsn = new MessageDeliveryStatus();
        var perMessage = new HeaderList { { "Reporting-MTA", "dns; relay.test" }, { "Original-Envelope-Id", envelopeId } };
        var perRecipient = new HeaderList { { "Final-Recipient", "rfc822; someone@example.test" }, { "Action", action }, { "Status", status } };
        dsn.StatusGroups.Add(perMessage);
        dsn.StatusGroups.Add(perRecipient);
        var report = new MultipartReport("delivery-status") { text, dsn };
        var message = new MimeMessage { Subject = "Delivery Status Notification", Body = report };
        message.From.Add(new MailboxAddress("Mail Delivery System", "MAILER-DAEMON@relay.test"));
        message.To.Add(MailboxAddress.Parse("bounces@trust.test"));
        return message;
    }

    private static string EnvelopeId(Message message) => message.ProviderMessageId!.Trim('<', '>').Split('@')[0];

    [PeerFact(HostVariable)]
    public async Task An_email_to_an_unknown_recipient_ends_Undelivered_with_the_enhanced_status_kept_raw()
    {
        await using var sdk = await SdkAsync("bounces-1");
        var sent = await sdk.SendAsync("p-ghost");

        await sdk.ReadUntilSomethingAsync();
        var bounced = await sdk.MessageAsync(sent.Id);

        sent.Status.Should().Be(DeliveryStatus.Sent);
        bounced.Status.Should().Be(DeliveryStatus.Undelivered);
        bounced.ErrorCode.Should().Be("5.1.1");
        bounced.ProviderStatus.Should().Be("failed");
        sdk.Reader.Applied.Should().Be(1);
        var seen = await sdk.HistoryAsync("p-ghost", sent.Id);
        (seen.Status, seen.ErrorCode, seen.ProviderStatus).Should().Be((DeliveryStatus.Undelivered, "5.1.1", "failed"), "staff see the bounce in the patient history");
    }

    [PeerFact(HostVariable)]
    public async Task An_email_to_a_known_recipient_ends_Delivered_when_success_reports_are_on()
    {
        await using var sdk = await SdkAsync("bounces-2", reportSuccess: true);
        var sent = await sdk.SendAsync("p-jane");

        await sdk.ReadUntilSomethingAsync();

        (await sdk.MessageAsync(sent.Id)).Status.Should().Be(DeliveryStatus.Delivered);
        (await sdk.HistoryAsync("p-jane", sent.Id)).Status.Should().Be(DeliveryStatus.Delivered, "staff see the delivery in the patient history");
    }

    [PeerFact(HostVariable)]
    public async Task A_report_read_twice_applies_once_a_delayed_one_changes_nothing_and_a_forged_one_is_left_flagged()
    {
        await using var sdk = await SdkAsync("bounces-3");
        var sent = await sdk.SendAsync("p-jane"); // delivered, no success report asked for: it stays Sent
        using var mailbox = await MailboxAsync(sdk.Bounces);

        await mailbox.Inbox.AppendAsync(Report(EnvelopeId(sent), "delayed", "4.4.1"));
        await sdk.ReadUntilSomethingAsync();
        var afterDelay = await sdk.MessageAsync(sent.Id);
        var unmatchedAfterDelay = sdk.Reader.Unmatched;

        var failed = Report(EnvelopeId(sent), "failed", "5.2.2");
        var uid = (await mailbox.Inbox.AppendAsync(failed))!.Value;
        await sdk.ReadUntilSomethingAsync();
        var afterFailure = await sdk.MessageAsync(sent.Id);
        await mailbox.Inbox.RemoveFlagsAsync(uid, MessageFlags.Seen, silent: true); // as if a person marked it unread
        await sdk.ReadUntilSomethingAsync();
        var afterRepeat = await sdk.MessageAsync(sent.Id);
        var unmatchedAfterRepeat = sdk.Reader.Unmatched;

        await mailbox.Inbox.AppendAsync(Report(new string('q', 32), "failed", "5.1.1"));
        await sdk.ReadUntilSomethingAsync();
        await mailbox.NoOpAsync(); // lets this session see the keyword another session defined
        var flagged = await mailbox.Inbox.SearchAsync(SearchQuery.HasKeywords([SmtpBounceReader.UnmatchedKeyword]));

        (unmatchedAfterDelay, unmatchedAfterRepeat).Should().Be((0L, 0L));
        afterDelay.Status.Should().Be(DeliveryStatus.Sent, "a delay is not final");
        afterFailure.Status.Should().Be(DeliveryStatus.Undelivered);
        afterRepeat.Version.Should().Be(afterFailure.Version, "the same report read again changes nothing");
        sdk.Reader.Unmatched.Should().Be(1);
        flagged.Should().ContainSingle("the forged report stays in the folder, flagged for a person");
    }

    [PeerFact(HostVariable)]
    public async Task The_reader_runs_as_a_hosted_service_and_stops_with_the_host()
    {
        await using var sdk = await SdkAsync("bounces-4", pollInterval: TimeSpan.FromSeconds(1));
        var hosted = sdk.Services.GetServices<IHostedService>().OfType<SmtpBounceReader>().Single();
        await hosted.StartAsync(CancellationToken.None);
        var sent = await sdk.SendAsync("p-ghost");
        var until = DateTime.UtcNow + HangGuard;
        while ((await sdk.MessageAsync(sent.Id)).Status != DeliveryStatus.Undelivered && DateTime.UtcNow < until)
        {
            await Task.Delay(200);
        }

        var stop = hosted.StopAsync(CancellationToken.None);

        (await sdk.MessageAsync(sent.Id)).Status.Should().Be(DeliveryStatus.Undelivered);
        (await Task.WhenAny(stop, Task.Delay(HangGuard))).Should().BeSameAs(stop, "the reader stops with the host");
    }

    private static async Task<Message> WaitForStatusAsync(Sdk sdk, MessageId id, DeliveryStatus status)
    {
        var until = DateTime.UtcNow + HangGuard;
        Message message;
        while ((message = await sdk.MessageAsync(id)).Status != status && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
        }

        return message;
    }

    private static async Task WaitForUnseenAsync(string mailbox)
    {
        using var client = await MailboxAsync(mailbox);
        var until = DateTime.UtcNow + HangGuard;
        while ((await client.Inbox.SearchAsync(SearchQuery.NotSeen)).Count == 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(200);
            await client.NoOpAsync();
        }

        await client.DisconnectAsync(quit: true);
    }

    [PeerFact(HostVariable)]
    public async Task With_idle_a_report_is_applied_as_it_arrives_not_at_the_next_poll()
    {
        // A poll interval far beyond the hang guard: only IDLE can apply the report in time.
        await using var sdk = await SdkAsync("bounces-5", pollInterval: TimeSpan.FromMinutes(20));
        var hosted = sdk.Services.GetServices<IHostedService>().OfType<SmtpBounceReader>().Single();
        await hosted.StartAsync(CancellationToken.None);
        try
        {
            var sent = await sdk.SendAsync("p-ghost");

            var bounced = await WaitForStatusAsync(sdk, sent.Id, DeliveryStatus.Undelivered);

            bounced.Status.Should().Be(DeliveryStatus.Undelivered);
            bounced.ErrorCode.Should().Be("5.1.1");
            sdk.Reader.Idling.Should().BeTrue("Dovecot offers IDLE");
            sdk.Reader.Sessions.Should().Be(1);
        }
        finally
        {
            await hosted.StopAsync(CancellationToken.None);
        }
    }

    [PeerFact(HostVariable)]
    public async Task Without_idle_the_reader_polls()
    {
        await using var sdk = await SdkAsync("bounces-6", pollInterval: TimeSpan.FromSeconds(1), useIdle: false);
        var hosted = sdk.Services.GetServices<IHostedService>().OfType<SmtpBounceReader>().Single();
        await hosted.StartAsync(CancellationToken.None);
        try
        {
            var sent = await sdk.SendAsync("p-ghost");

            (await WaitForStatusAsync(sdk, sent.Id, DeliveryStatus.Undelivered)).Status.Should().Be(DeliveryStatus.Undelivered);
            sdk.Reader.Idling.Should().BeFalse();
        }
        finally
        {
            await hosted.StopAsync(CancellationToken.None);
        }
    }

    [PeerFact(HostVariable)]
    public async Task The_reader_survives_the_imap_server_going_away_and_applies_what_arrived_meanwhile_once()
    {
        // Dovecot is shared by other tests, so the "server going away" is a cut in front of it: open sessions reset,
        // new ones refused, then the same port back.
        await using var cut = new TcpCut(Peers.Get(HostVariable), ImapPort);
        await using var sdk = await SdkAsync("bounces-7", pollInterval: TimeSpan.FromSeconds(2), imapPort: cut.Port);
        var hosted = sdk.Services.GetServices<IHostedService>().OfType<SmtpBounceReader>().Single();
        await hosted.StartAsync(CancellationToken.None);
        try
        {
            var first = await sdk.SendAsync("p-ghost");
            var firstBounced = await WaitForStatusAsync(sdk, first.Id, DeliveryStatus.Undelivered);
            firstBounced.Status.Should().Be(DeliveryStatus.Undelivered);
            var sessionsBefore = sdk.Reader.Sessions;

            cut.Cut();
            var second = await sdk.SendAsync("p-ghost");
            await WaitForUnseenAsync(sdk.Bounces); // the report is in the mailbox while the reader cannot reach it
            var whileAway = await sdk.MessageAsync(second.Id);
            cut.Restore();
            var afterReturn = await WaitForStatusAsync(sdk, second.Id, DeliveryStatus.Undelivered);
            var until = DateTime.UtcNow + HangGuard;
            while (sdk.Reader.Applied < 2 && DateTime.UtcNow < until)
            {
                await Task.Delay(50); // the counter moves just after the status
            }

            await Task.Delay(TimeSpan.FromSeconds(5)); // two more IDLE renewals with full reads: nothing is read again

            whileAway.Status.Should().Be(DeliveryStatus.Sent);
            afterReturn.Status.Should().Be(DeliveryStatus.Undelivered);
            afterReturn.ErrorCode.Should().Be("5.1.1");
            sdk.Reader.Sessions.Should().BeGreaterThan(sessionsBefore, "the reader opened a new session once the server was back");
            sdk.Reader.Applied.Should().Be(2, "each report applied once, none lost");
            (await sdk.MessageAsync(first.Id)).Version.Should().Be(firstBounced.Version, "the first report is not applied again by the new session");
            hosted.Should().BeAssignableTo<BackgroundService>().Which.ExecuteTask!.IsCompleted.Should().BeFalse("the reader is still running");
        }
        finally
        {
            var stop = hosted.StopAsync(CancellationToken.None);
            (await Task.WhenAny(stop, Task.Delay(HangGuard))).Should().BeSameAs(stop, "the reader stops with the host");
        }
    }
}
