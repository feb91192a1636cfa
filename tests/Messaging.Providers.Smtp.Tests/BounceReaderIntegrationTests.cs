using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Messaging.Testing.Fakes;
using Messaging.Testing.Peers;
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

    private static async Task<Sdk> SdkAsync(string mailbox, bool reportSuccess = false, TimeSpan? pollInterval = null)
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
                o.Host = Peers.Get(HostVariable);
                o.Port = int.Parse(Peers.Get("MESSAGING_RELAY_IMAP_PORT"), System.Globalization.CultureInfo.InvariantCulture);
                o.TlsMode = SmtpTlsMode.None;
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
    }

    [PeerFact(HostVariable)]
    public async Task An_email_to_a_known_recipient_ends_Delivered_when_success_reports_are_on()
    {
        await using var sdk = await SdkAsync("bounces-2", reportSuccess: true);
        var sent = await sdk.SendAsync("p-jane");

        await sdk.ReadUntilSomethingAsync();

        (await sdk.MessageAsync(sent.Id)).Status.Should().Be(DeliveryStatus.Delivered);
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
}
