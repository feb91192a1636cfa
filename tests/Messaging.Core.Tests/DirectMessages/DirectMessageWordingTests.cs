using Messaging.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Messaging.Tests.DirectMessages.DirectMessageWorld;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.DirectMessages;

/// <summary>
/// The Direct Message's own words (issue 25): the access-code SMS and the link email follow the workspace's language
/// like every other piece of the SDK's text (English and Welsh shipped, host-overridable), and the charge counts the
/// wording the patient gets.
/// </summary>
public sealed class DirectMessageWordingTests
{
    private static Action<IServiceCollection> WelshDermatology(Action<PatientLinkTextOptions>? more = null) => services =>
        services.Configure<PatientLinkTextOptions>(o =>
        {
            o.WorkspaceLanguages[Dermatology.ToString()] = PatientLinkTextOptions.Welsh;
            more?.Invoke(o);
        });

    [Fact]
    public async Task A_welsh_workspace_sends_the_access_code_sms_and_the_link_email_in_welsh()
    {
        await using var world = await DmWorldAsync(register: WelshDermatology());

        var (_, token, code) = await SendAndDeliverAsync(world);

        var sms = world.Sms.Accepted[^1].Body;
        sms.Should().EndWith(": y cod mynediad ar gyfer y neges ddiogel a anfonwyd atoch drwy e-bost yw " + code);
        sms.Should().NotContain("access code");
        var email = world.Email.Accepted[^1];
        email.Subject.Should().StartWith("Mae ").And.EndWith(" wedi anfon neges ddiogel atoch");
        email.TextBody.Should().Contain("Agorwch hi yma: https://ehr.example.nhs.uk/m/d/" + token);
        email.HtmlBody.Should().Contain("Agorwch eich neges ddiogel");
        token.Should().HaveLength(22);
    }

    [Fact]
    public async Task An_english_workspace_keeps_the_english_access_code_sms_and_system_email()
    {
        await using var world = await DmWorldAsync(register: WelshDermatology(o => o.WorkspaceLanguages.Clear()));

        var (_, _, code) = await SendAndDeliverAsync(world);

        world.Sms.Accepted[^1].Body.Should().EndWith(": the access code for the secure message we emailed you is " + code);
        world.Email.Accepted[^1].TextBody.Should().Contain("You will need the access code");
    }

    [Fact]
    public async Task The_hosts_access_code_wording_is_sent_stored_without_the_code_and_charged_on_what_is_sent()
    {
        // 150 characters of wording plus a space and the code pushes the SMS into a second segment.
        var wording = "{{organisation.name}}: " + new string('x', 150) + " code";
        await using var world = await DmWorldAsync(register: WelshDermatology(o => o.Languages[PatientLinkTextOptions.Welsh].DirectMessageAccessCode = wording));
        var before = await world.Credits.GetBalanceAsync(Trust);

        var (dm, _, code) = await SendAndDeliverAsync(world);

        var sms = world.Sms.Accepted[^1].Body;
        sms.Should().EndWith(new string('x', 150) + " code " + code);
        var stored = (await world.Store.GetMessageAsync((await StoredAsync(world, dm.Id)).SmsMessageId))!;
        stored.Body.Should().EndWith(" code").And.NotContain(code);
        (before - await world.Credits.GetBalanceAsync(Trust)).Should().Be(2, "the SMS as sent is two segments");
    }

    [Theory]
    [InlineData("Your code {{link}}", "uses {{link}}")]
    [InlineData("{{patient.firstName}}, your code is", "uses {{patient.firstName}}")]
    [InlineData("", "is required")]
    public async Task Access_code_wording_with_a_link_patient_data_or_nothing_fails_at_start_up(string wording, string reason)
    {
        var failure = await HostStart.TryAsync(services => services
            .AddPatientMessaging(o => { o.PublicBaseUrl = new Uri("https://ehr.example.nhs.uk/m/"); o.LinkKey = TestSecrets.LinkKey; })
            .AddInMemoryStore()
            .ConfigurePatientLinks(o => o.Languages[PatientLinkTextOptions.Welsh].DirectMessageAccessCode = wording));

        failure.Should().NotBeNull();
        failure!.Message.Should().Contain("Messaging:PatientLinks:Languages:cy:DirectMessageAccessCode").And.Contain(reason);
    }

    [Fact]
    public async Task A_link_email_wording_without_the_link_fails_at_start_up()
    {
        var failure = await HostStart.TryAsync(services => services
            .AddPatientMessaging(o => { o.PublicBaseUrl = new Uri("https://ehr.example.nhs.uk/m/"); o.LinkKey = TestSecrets.LinkKey; })
            .AddInMemoryStore()
            .ConfigurePatientLinks(o => o.Languages[PatientLinkTextOptions.Welsh].DirectMessageEmail = new SystemEmailTemplate("Neges", "Mae neges gennych.")));

        failure.Should().NotBeNull();
        failure!.Message.Should().Contain("Messaging:PatientLinks:Languages:cy:DirectMessageEmail:Text must contain {{link}}");
    }
}
