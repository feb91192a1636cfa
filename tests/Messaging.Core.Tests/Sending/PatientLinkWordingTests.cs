using System.Text.RegularExpressions;
using Messaging.Sending;
using Messaging.Templates;
using Messaging.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Sending;

/// <summary>
/// The SDK's own words in patient SMS and email (issue 25): from host-overridable templates per language (English and
/// Welsh shipped), the link on its own line after a short label, GSM-7 look-alikes downgraded, and the preview counting
/// exactly what is sent.
/// </summary>
public sealed partial class PatientLinkWordingTests
{
    private const string Link = "https://ehr.example.nhs.uk/m/r/";

    [GeneratedRegex(@"\n\nReply once:\nhttps://ehr\.example\.nhs\.uk/m/r/[A-Za-z0-9_-]{22}$")]
    private static partial Regex EnglishReplyBlock();

    [GeneratedRegex(@"\n\nAtebwch unwaith:\nhttps://ehr\.example\.nhs\.uk/m/r/[A-Za-z0-9_-]{22}$")]
    private static partial Regex WelshReplyBlock();

    private static async Task<TestWorld> WorldAsync(Action<IServiceCollection>? configure = null)
    {
        var world = await CreateAsync(configure: configure);
        await world.Credits.PurchaseAsync(Alice, Trust, 100, "INV-1");
        return world;
    }

    private static SendMessageRequest Sms(string body, bool allowReply = true)
        => new() { WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = body, AllowReply = allowReply };

    private static async Task<string> SentSmsAsync(TestWorld world, string body, bool allowReply = true)
    {
        await world.Messages.SendAsync(Bob, Sms(body, allowReply));
        await world.Dispatcher.DispatchDueAsync();
        return world.Sms.Accepted[^1].Body;
    }

    [Fact]
    public async Task The_reply_link_goes_on_its_own_line_after_the_short_english_label_with_a_22_character_token()
    {
        await using var world = await WorldAsync();

        var sent = await SentSmsAsync(world, "Your results are ready.");

        sent.Should().MatchRegex(EnglishReplyBlock().ToString());
        sent.Should().StartWith("Your results are ready.\n\nReply once:\n" + Link);
        (sent.Length - "Your results are ready.".Length).Should().Be(2 + 12 + Link.Length + 22, "the SDK's own text is the label line and the link");
    }

    [Fact]
    public async Task A_welsh_workspace_gets_the_welsh_wording_in_sms_and_email_and_others_keep_english()
    {
        await using var world = await WorldAsync(s => s.Configure<PatientLinkTextOptions>(o => o.WorkspaceLanguages[Dermatology.ToString()] = PatientLinkTextOptions.Welsh));

        var welsh = await SentSmsAsync(world, "Mae eich canlyniadau yn barod.");
        await world.Messages.SendAsync(Bob, new SendMessageRequest
        {
            WorkspaceId = Dermatology, Channel = MessageChannel.Email, PatientId = Jane, Subject = "Canlyniadau", Body = "Mae eich canlyniadau yn barod.",
            HtmlBody = "<p>Mae eich canlyniadau yn barod.</p>", AllowReply = true,
        });
        await world.Dispatcher.DispatchDueAsync();
        var english = await world.Messages.SendAsync(Bob, Sms("Your results are ready.") with { WorkspaceId = TrustDefault });
        await world.Dispatcher.DispatchDueAsync();

        welsh.Should().MatchRegex(WelshReplyBlock().ToString());
        var email = world.Email.Accepted.Should().ContainSingle().Subject;
        email.TextBody.Should().MatchRegex(WelshReplyBlock().ToString());
        email.HtmlBody.Should().MatchRegex(@"<p><a href=""https://ehr\.example\.nhs\.uk/m/r/[A-Za-z0-9_-]{22}"">Atebwch yn ddiogel \(unwaith\)</a></p>$");
        world.Sms.Accepted[^1].Body.Should().MatchRegex(EnglishReplyBlock().ToString());
        english.WorkspaceId.Should().Be(TrustDefault);
    }

    [Fact]
    public async Task Download_links_use_the_wording_and_are_numbered_when_there_are_several()
    {
        await using var world = await WorldAsync();
        var attachments = world.Services.GetRequiredService<IAttachmentService>();
        var pdf = new byte[200];
        "%PDF-1.7\n"u8.CopyTo(pdf);
        var one = await attachments.UploadAsync(Carol, Dermatology, new AttachmentUpload("a.pdf", "application/pdf", new MemoryStream(pdf)));
        var two = await attachments.UploadAsync(Carol, Dermatology, new AttachmentUpload("b.pdf", "application/pdf", new MemoryStream(pdf)));

        await world.Messages.SendAsync(Bob, Sms("Your letter.", allowReply: false) with { Attachments = [one.Id] });
        await world.Messages.SendAsync(Bob, Sms("Your letters.", allowReply: true) with { Attachments = [one.Id, two.Id] });
        await world.Dispatcher.DispatchDueAsync();

        world.Sms.Accepted[0].Body.Should().MatchRegex(@"^Your letter\.\n\nYour document:\nhttps://ehr\.example\.nhs\.uk/m/a/[A-Za-z0-9_-]{22}$");
        world.Sms.Accepted[1].Body.Should().MatchRegex(
            @"^Your letters\.\n\nDocument 1 of 2:\nhttps://ehr\.example\.nhs\.uk/m/a/[A-Za-z0-9_-]{22}\nDocument 2 of 2:\nhttps://ehr\.example\.nhs\.uk/m/a/[A-Za-z0-9_-]{22}\nReply once:\nhttps://ehr\.example\.nhs\.uk/m/r/[A-Za-z0-9_-]{22}$");
    }

    [Fact]
    public async Task The_hosts_own_wording_is_what_the_patient_gets_and_what_the_preview_and_the_charge_count()
    {
        // 140 characters: one segment with "Reply once:", two with the host's long label.
        var body = new string('a', 60);
        await using var world = await WorldAsync(s => s.Configure<PatientLinkTextOptions>(o =>
            o.Languages[PatientLinkTextOptions.English].ReplyLink = "To reply securely, once, open this link within 14 days:\n{{link}}"));
        var template = await world.Templates.CreateAsync(Bob, new CreateTemplateRequest { WorkspaceId = Dermatology, Name = "Plain", Body = body, Shared = true });
        var request = new TemplateMessageRequest { WorkspaceId = Dermatology, TemplateId = template.Id, Channel = MessageChannel.Sms, PatientId = Jane, AllowReply = true };

        var preview = await world.TemplateMessages.RenderAsync(Bob, request);
        var message = await world.TemplateMessages.SendAsync(Bob, request);
        await world.Dispatcher.DispatchDueAsync();

        var sent = world.Sms.Accepted[^1].Body;
        sent.Should().Contain("\n\nTo reply securely, once, open this link within 14 days:\n" + Link);
        var counted = SmsSegmentCalculator.Calculate(sent);
        preview.Sms.Should().Be(counted);
        (preview.Segments, message.Credits).Should().Be((2, 2));
    }

    [Fact]
    public async Task The_preview_tells_how_many_characters_are_left_before_the_next_segment_extension_characters_counting_two()
    {
        await using var world = await WorldAsync();
        var template = await world.Templates.CreateAsync(Bob, new CreateTemplateRequest { WorkspaceId = Dermatology, Name = "Price", Body = "Prescription charge [England]: €10", Shared = true });

        var preview = await world.TemplateMessages.RenderAsync(Bob, new TemplateMessageRequest
        {
            WorkspaceId = Dermatology, TemplateId = template.Id, Channel = MessageChannel.Sms, PatientId = Jane, AllowReply = true,
        });

        // 34 characters, three of them extension characters (2 septets each) = 37 septets, plus 2 + 12 + 53 + 22 for the link.
        var septets = 37 + 2 + 12 + Link.Length + 22;
        preview.Sms.Should().Be(new SmsSegmentInfo(SmsEncoding.Gsm7, 1, septets, 160 - septets));
    }

    [Fact]
    public async Task Staff_text_is_sent_as_written_unless_the_host_opts_in_to_the_downgrade()
    {
        const string Curly = "Your appointment isn’t until 3–4pm… “see you then”";
        await using var world = await WorldAsync();

        var message = await world.Messages.SendAsync(Bob, Sms(Curly, allowReply: false));
        await world.Dispatcher.DispatchDueAsync();

        message.Body.Should().Be(Curly);
        world.Sms.Accepted[^1].Body.Should().Be(Curly);
        SmsSegmentCalculator.Calculate(Curly).Encoding.Should().Be(SmsEncoding.Ucs2);
    }

    [Fact]
    public async Task With_the_downgrade_on_for_staff_text_the_preview_the_stored_message_and_the_sms_show_gsm7_look_alikes()
    {
        const string Curly = "Your appointment isn’t until 3–4pm…\u00A0“see you then”. Diolch — Tîm Croen 😊";
        const string Plain = "Your appointment isn't until 3-4pm... \"see you then\". Diolch - Tîm Croen 😊";
        await using var world = await WorldAsync(s => s.Configure<PatientLinkTextOptions>(o => o.Gsm7Downgrade = SmsCharacterDowngrade.SdkAndStaffText));
        var template = await world.Templates.CreateAsync(Bob, new CreateTemplateRequest { WorkspaceId = Dermatology, Name = "Curly", Body = Curly, Shared = true });
        var request = new TemplateMessageRequest { WorkspaceId = Dermatology, TemplateId = template.Id, Channel = MessageChannel.Sms, PatientId = Jane };

        var preview = await world.TemplateMessages.RenderAsync(Bob, request);
        var message = await world.TemplateMessages.SendAsync(Bob, request);
        var direct = await world.Messages.SendAsync(Bob, Sms("Fasting from 8pm – water only", allowReply: false));
        await world.Dispatcher.DispatchDueAsync();

        preview.Body.Should().Be(Plain, "Welsh letters and emoji have no GSM-7 look-alike and stay");
        preview.Sms!.Value.Should().Be(SmsSegmentCalculator.Calculate(Plain));
        message.Body.Should().Be(Plain);
        world.Sms.Accepted[0].Body.Should().Be(Plain);
        direct.Body.Should().Be("Fasting from 8pm - water only");
        SmsSegmentCalculator.Calculate(direct.Body).Encoding.Should().Be(SmsEncoding.Gsm7);
    }

    [Fact]
    public async Task The_hosts_wording_is_downgraded_by_default_but_staff_text_is_not()
    {
        await using var world = await WorldAsync(s => s.Configure<PatientLinkTextOptions>(o =>
            o.Languages[PatientLinkTextOptions.English].ReplyLink = "Reply – once – here…\n{{link}}"));

        var sent = await SentSmsAsync(world, "Results ‘normal’.");

        sent.Should().StartWith("Results ‘normal’.\n\nReply - once - here...\n" + Link);
    }

    [Fact]
    public void The_downgrade_replaces_what_gov_uk_notify_replaces_and_leaves_everything_else()
    {
        GsmLookalikes.Downgrade("‘a’ “b” c–d e—f g… h\u00A0i\tj\u200Bk\uFEFFl").Should().Be("'a' \"b\" c-d e-f g... h i jkl");
        const string Untouched = "Ŵyn ŷd â ê 😊 € [ok]";
        GsmLookalikes.Downgrade(Untouched).Should().BeSameAs(Untouched);
    }

    [Theory]
    [InlineData("Reply once:", "must contain {{link}}")]
    [InlineData("Reply {{patient.firstName}}: {{link}}", "uses {{patient.firstName}}")]
    [InlineData("Reply {{number}}: {{link}}", "uses {{number}}")]
    [InlineData("Reply {{link", "is not a valid template")]
    public async Task Wording_that_drops_the_link_or_would_carry_anything_else_fails_at_start_up(string replyLink, string reason)
    {
        var failure = await HostStart.TryAsync(services => services
            .AddPatientMessaging(o => { o.PublicBaseUrl = new Uri("https://ehr.example.nhs.uk/m/"); o.LinkKey = TestSecrets.LinkKey; })
            .AddInMemoryStore()
            .ConfigurePatientLinks(o => o.Languages[PatientLinkTextOptions.Welsh].ReplyLink = replyLink));

        failure.Should().NotBeNull();
        failure!.Message.Should().Contain("Messaging:PatientLinks:Languages:cy:ReplyLink").And.Contain(reason);
    }

    [Fact]
    public async Task A_workspace_language_without_wording_fails_at_start_up()
    {
        var failure = await HostStart.TryAsync(services => services
            .AddPatientMessaging(o => { o.PublicBaseUrl = new Uri("https://ehr.example.nhs.uk/m/"); o.LinkKey = TestSecrets.LinkKey; })
            .AddInMemoryStore()
            .ConfigurePatientLinks(o => o.WorkspaceLanguages["cardiff-derm"] = "ga"));

        failure.Should().NotBeNull();
        failure!.Message.Should().Contain("Messaging:PatientLinks:WorkspaceLanguages:cardiff-derm 'ga' has no wording");
    }

    [Fact]
    public void The_wording_binds_from_configuration_overriding_one_welsh_text_and_keeping_the_rest()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PublicBaseUrl"] = "https://ehr.example.nhs.uk/m/",
            ["LinkKey"] = TestSecrets.LinkKey,
            ["PatientLinks:Language"] = "cy",
            ["PatientLinks:Gsm7Downgrade"] = "SdkAndStaffText",
            ["PatientLinks:Languages:cy:ReplyLink"] = "Ateb:\n{{link}}",
        }).Build();
        var services = new ServiceCollection();
        services.AddPatientMessaging(configuration).AddInMemoryStore();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<PatientLinkTextOptions>>().Value;

        options.Language.Should().Be("cy");
        options.Gsm7Downgrade.Should().Be(SmsCharacterDowngrade.SdkAndStaffText);
        options.Languages["cy"].ReplyLink.Should().Be("Ateb:\n{{link}}");
        options.Languages["cy"].DownloadLink.Should().Be("Eich dogfen:\n{{link}}");
        options.Languages["en"].ReplyLink.Should().Be("Reply once:\n{{link}}");
    }

    [Theory]
    [InlineData(22, true)]
    [InlineData(43, true)] // a link sent before tokens were shortened: looked up by hash until it expires
    [InlineData(21, false)]
    [InlineData(32, false)]
    public void Tokens_of_128_bits_and_links_sent_with_256_bit_tokens_have_the_token_shape(int length, bool shaped)
        => Messaging.Replies.ReplyTokens.HasTokenShape(new string('A', length)).Should().Be(shaped);
}
