using Messaging.Tests.Support;
using System.Text.RegularExpressions;
using Messaging.Providers.Smtp.Tests.Support;
using Messaging.Testing.Fakes;
using Messaging.Testing.Peers;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;

namespace Messaging.Providers.Smtp.Tests;

/// <summary>
/// The emails the SDK sends by itself (issue 9), end to end: the SDK wired as a host wires it, with this provider
/// pointed at the real plain SMTP sink, and the raw message read back from the server.
/// </summary>
public sealed partial class SmtpRelayIntegrationTests
{
    private const string PatientReply = "The rash on my left arm is worse since Tuesday";

    /// <summary>Everything about the patient that must never appear in a system email, in the forms it could take.</summary>
    private static readonly string[] PatientData =
        ["Jane", "Doe", "07400 123456", "7400123456", "+447400123456", "943 476 5919", "9434765919", "jane.doe@example.test", "rash", "Your results are back"];

    private static async Task<ServiceProvider> SdkAsync(SmtpSink sink, string staffEmail)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2026, 11, 23, 9, 0), Duration.FromSeconds(1)));
        services.AddSingleton<FakeSmsProvider>();
        services.AddSingleton<ISmsProvider>(sp => sp.GetRequiredService<FakeSmsProvider>());
        services.AddPatientMessaging(o =>
        {
            o.PublicBaseUrl = new Uri("https://ehr.riverside.nhs.test/m/");
            o.LinkKey = TestSecrets.LinkKey;
        })
            .AddInMemoryStore()
            .AddDirectMessages(o => o.Pepper = Convert.ToBase64String(new byte[32]))
            .AddSmtpEmail(o =>
            {
                var options = TestProviders.Options(sink.Host, sink.Port);
                o.Host = options.Host;
                o.Port = options.Port;
                o.TlsMode = options.TlsMode;
                o.FromAddress = options.FromAddress;
                o.FromName = options.FromName;
                o.Timeout = options.Timeout;
            });
        var sdk = services.BuildServiceProvider();

        var workspaces = sdk.GetRequiredService<IWorkspaceService>();
        await workspaces.CreateOrganisationAsync(new CreateOrganisationRequest
        {
            OrganisationId = new OrganisationId("riverside"),
            Name = "Riverside NHS Trust",
            DefaultWorkspaceId = new WorkspaceId("riverside"),
            FirstAdmin = new NewMember(new StaffId("ann"), staffEmail, "Dr Ann Smith"),
        });
        await sdk.GetRequiredService<IPatientService>().RegisterAsync(new StaffId("ann"), new WorkspaceId("riverside"), new PatientRegistration
        {
            PatientId = new PatientId("p-1"),
            NhsNumber = "943 476 5919",
            DateOfBirth = new LocalDate(1970, 3, 14),
            GivenName = "Jane",
            FamilyName = "Doe",
            Mobile = "07400 123456",
            Email = "jane.doe@example.test",
        });
        await sdk.GetRequiredService<ICreditService>().PurchaseAsync(new StaffId("ann"), new OrganisationId("riverside"), 10, "INV-1");
        return sdk;
    }

    [PeerFact(SmtpSink.HostVariable)]
    public async Task The_reply_notification_email_reaches_the_assignee_and_carries_no_patient_data_or_content()
    {
        var sink = SmtpSink.Plain();
        var staffEmail = $"ann.{Guid.NewGuid():N}@example.test";
        await using var sdk = await SdkAsync(sink, staffEmail);
        await sdk.GetRequiredService<IMessageService>().SendAsync(new StaffId("ann"), new SendMessageRequest
        {
            WorkspaceId = new WorkspaceId("riverside"), Channel = MessageChannel.Sms, PatientId = new PatientId("p-1"), Body = "Your results are back. How is the rash?", AllowReply = true,
        });
        await sdk.GetRequiredService<IOutboxDispatcher>().DispatchDueAsync();
        var token = Regex.Match(sdk.GetRequiredService<FakeSmsProvider>().Accepted[^1].Body, "/m/r/([A-Za-z0-9_-]{22})").Groups[1].Value;

        var reply = await sdk.GetRequiredService<IPatientReplyService>().ReplyAsync(token, PatientReply);

        reply.Accepted.Should().BeTrue();
        await sdk.GetRequiredService<IOutboxDispatcher>().DispatchDueAsync(); // staff emails are outbox work (R29)
        var mail = (await sink.MailsToAsync(staffEmail)).Should().ContainSingle().Subject;
        mail.Subject.Should().Be("New patient reply in Riverside NHS Trust");
        mail.Text.Should().Contain("Dr Ann Smith").And.Contain("does not contain the reply");
        mail.Html.Should().NotBeNull();
        foreach (var secret in PatientData.Append(PatientReply).Append(token))
        {
            mail.Raw.Should().NotContain(secret);
        }
    }

    [PeerFact(SmtpSink.HostVariable)]
    public async Task The_direct_message_email_carries_only_the_link_no_content_no_code_and_no_patient_data()
    {
        var sink = SmtpSink.Plain();
        await using var sdk = await SdkAsync(sink, $"ann.{Guid.NewGuid():N}@example.test");
        var patientEmail = $"jane.{Guid.NewGuid():N}@example.test";
        await sdk.GetRequiredService<IPatientService>().RegisterAsync(new StaffId("ann"), new WorkspaceId("riverside"), new PatientRegistration
        {
            PatientId = new PatientId("p-1"), NhsNumber = "943 476 5919", DateOfBirth = new LocalDate(1970, 3, 14),
            GivenName = "Jane", FamilyName = "Doe", Mobile = "07400 123456", Email = patientEmail,
        });
        const string Confidential = "Biopsy result: benign naevus, no further action";

        await sdk.GetRequiredService<IDirectMessageService>().SendAsync(new StaffId("ann"), new SendDirectMessageRequest
        {
            WorkspaceId = new WorkspaceId("riverside"), PatientId = new PatientId("p-1"), Subject = "Your biopsy result", Body = Confidential,
        });
        await sdk.GetRequiredService<IOutboxDispatcher>().DispatchDueAsync();

        var code = sdk.GetRequiredService<FakeSmsProvider>().Accepted.Should().ContainSingle().Subject.Body;
        var mail = (await sink.MailsToAsync(patientEmail)).Should().ContainSingle().Subject;
        mail.Text.Should().MatchRegex("https://ehr.riverside.nhs.test/m/");
        mail.Raw.Should().Contain("Riverside NHS Trust");
        foreach (var secret in new[] { Confidential, "biopsy", "Biopsy", "naevus", "Jane", "Doe", "07400 123456", "7400123456", "+447400123456", "943 476 5919", "9434765919" })
        {
            mail.Raw.Should().NotContain(secret);
        }

        var codeWords = code.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length >= 8 && w.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c))).ToList();
        codeWords.Should().NotBeEmpty("the SMS carries the access code");
        foreach (var word in codeWords)
        {
            mail.Raw.Should().NotContain(word, "the access code travels by SMS only");
        }
    }
}
