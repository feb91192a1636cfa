using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Messaging.Attachments;
using Messaging.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Attachments;

/// <summary>R11: attachments are checked, stored through the attachment store, and reach the patient as expiring links.</summary>
public sealed partial class AttachmentTests
{
    [GeneratedRegex(@"https://ehr\.example\.nhs\.uk/m/a/([A-Za-z0-9_-]{22})")]
    private static partial Regex DownloadLink();

    [GeneratedRegex(@"https://ehr\.example\.nhs\.uk/m/r/([A-Za-z0-9_-]{22})")]
    private static partial Regex ReplyLink();

    private static byte[] Pdf(int size)
    {
        var bytes = new byte[size];
        RandomNumberGenerator.Fill(bytes);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        return bytes;
    }

    private static async Task<TestWorld> WorldAsync(long maxBytes = 4096)
    {
        var world = await CreateAsync(configure: services => services.Configure<AttachmentOptions>(o => o.MaxBytes = maxBytes));
        await world.Credits.PurchaseAsync(Alice, Trust, 100, "INV-1");
        return world;
    }

    private static IAttachmentService Service(TestWorld world) => world.Services.GetRequiredService<IAttachmentService>();

    private static InMemoryAttachmentStore Files(TestWorld world) => (InMemoryAttachmentStore)world.Services.GetRequiredService<IAttachmentStore>();

    private static Task<Attachment> UploadAsync(TestWorld world, byte[] bytes, string type = "application/pdf", string name = "results.pdf", StaffId? actor = null, WorkspaceId? workspace = null)
        => Service(world).UploadAsync(actor ?? Bob, workspace ?? Dermatology, new AttachmentUpload(name, type, new MemoryStream(bytes)));

    private static async Task<byte[]> ReadAsync(AttachmentDownload download)
    {
        await using (download)
        {
            using var copy = new MemoryStream();
            await download.Content!.CopyToAsync(copy);
            return copy.ToArray();
        }
    }

    [Fact]
    public async Task An_upload_is_stored_with_its_size_type_and_sha256_and_audited()
    {
        await using var world = await WorldAsync();
        var bytes = Pdf(3000);

        var attachment = await UploadAsync(world, bytes, "Application/PDF; charset=binary", @"C:\Users\bob\Jane Doe results.pdf");

        attachment.Should().BeEquivalentTo(new
        {
            WorkspaceId = Dermatology,
            FileName = "Jane Doe results.pdf",
            ContentType = "application/pdf",
            Length = 3000L,
            Sha256 = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant(),
            UploadedBy = (StaffId?)Bob,
        });
        (await world.Store.GetAttachmentAsync(attachment.Id)).Should().Be(attachment);
        (await ReadAsync(await Service(world).OpenAsync(Carol, attachment.Id))).Should().Equal(bytes);
        (await world.Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Trust, Action = AuditAction.AttachmentUploaded }))
            .Should().ContainSingle().Which.TargetId.Should().Be(attachment.Id.ToString());
        $"{attachment}".Should().NotContain("Jane");
    }

    [Fact]
    public async Task A_file_over_the_limit_is_refused_and_nothing_is_stored()
    {
        await using var world = await WorldAsync(maxBytes: 4096);
        var audit = await world.AuditCountAsync();

        var upload = () => UploadAsync(world, Pdf(4097));

        (await upload.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.AttachmentTooLarge);
        Files(world).Count.Should().Be(0);
        StoreDump.Of(world).Should().NotContain("application/pdf");
        (await world.AuditCountAsync()).Should().Be(audit);
        (await UploadAsync(world, Pdf(4096))).Length.Should().Be(4096, "the limit itself is allowed");
    }

    [Fact]
    public async Task A_file_over_the_limit_is_not_read_to_its_end()
    {
        await using var world = await WorldAsync(maxBytes: 4096);
        var source = new MemoryStream(Pdf(1_000_000));

        var upload = () => Service(world).UploadAsync(Bob, Dermatology, new AttachmentUpload("big.pdf", "application/pdf", source));

        await upload.Should().ThrowAsync<MessagingValidationException>();
        source.Position.Should().BeLessThan(200_000);
    }

    [Theory]
    [InlineData("text/html", "%PDF-1.7 <script>")]
    [InlineData("application/x-msdownload", "MZ\u0090\u0000")]
    [InlineData("application/pdf", "MZ\u0090\u0000 not really a pdf")]
    [InlineData("image/png", "%PDF-1.7 a pdf calling itself a png")]
    [InlineData("not a type", "%PDF-1.7")]
    public async Task A_refused_type_or_content_that_is_not_what_its_type_says_is_refused_and_nothing_is_stored(string type, string content)
    {
        await using var world = await WorldAsync();

        var upload = () => UploadAsync(world, Encoding.Latin1.GetBytes(content), type, "file.bin");

        (await upload.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.AttachmentTypeRefused);
        Files(world).Count.Should().Be(0);
        StoreDump.Of(world).Should().NotContain("file.bin");
    }

    [Fact]
    public async Task Empty_files_bad_names_and_non_members_are_refused()
    {
        await using var world = await WorldAsync();

        var empty = () => UploadAsync(world, []);
        var noName = () => UploadAsync(world, Pdf(100), name: "../");
        var mallory = () => UploadAsync(world, Pdf(100), actor: Mallory);

        (await empty.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.Required);
        (await noName.Should().ThrowAsync<MessagingValidationException>()).Which.Field.Should().Be("fileName");
        await mallory.Should().ThrowAsync<MessagingAuthorizationException>();
        Files(world).Count.Should().Be(0);
    }

    [Fact]
    public async Task The_patient_gets_a_download_link_that_works_until_it_expires()
    {
        await using var world = await WorldAsync();
        var bytes = Pdf(2000);
        var attachment = await UploadAsync(world, bytes);

        await world.Messages.SendAsync(Bob, new SendMessageRequest
        {
            WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = "Your letter is attached.", Attachments = [attachment.Id],
        });
        await world.Dispatcher.DispatchDueAsync();
        var token = DownloadLink().Match(world.Sms.Accepted[^1].Body).Groups[1].Value;

        var before = await Service(world).OpenLinkAsync(token);
        before.Status.Should().Be(AttachmentLinkStatus.Valid);
        before.Attachment!.Id.Should().Be(attachment.Id);
        (await ReadAsync(before)).Should().Equal(bytes);
        (await world.Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Trust, Action = AuditAction.AttachmentDownloaded }))
            .Should().ContainSingle().Which.Actor.Should().Be(AuditActor.Patient(Jane));

        world.Clock.Advance(Duration.FromDays(14));

        (await Service(world).OpenLinkAsync(token)).Should().Be(new AttachmentDownload(AttachmentLinkStatus.Expired));
        (await Service(world).OpenLinkAsync(new string('A', 22))).Status.Should().Be(AttachmentLinkStatus.Unknown);
        (await Service(world).OpenLinkAsync("../../etc/passwd")).Status.Should().Be(AttachmentLinkStatus.Unknown);
    }

    [Fact]
    public async Task An_email_carries_each_attachment_as_a_link_in_both_bodies()
    {
        await using var world = await WorldAsync();
        var first = await UploadAsync(world, Pdf(100));
        var second = await UploadAsync(world, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3], "image/png", "photo.png");

        await world.Messages.SendAsync(Bob, new SendMessageRequest
        {
            WorkspaceId = Dermatology, Channel = MessageChannel.Email, PatientId = Jane, Subject = "Letters", Body = "Two letters.", HtmlBody = "<p>Two letters.</p>",
            Attachments = [first.Id, second.Id],
        });
        await world.Dispatcher.DispatchDueAsync();

        var email = world.Email.Accepted.Should().ContainSingle().Subject;
        var tokens = DownloadLink().Matches(email.TextBody).Select(m => m.Groups[1].Value).ToList();
        tokens.Should().HaveCount(2).And.OnlyHaveUniqueItems();
        email.HtmlBody.Should().Contain(tokens[0]).And.Contain(tokens[1]);
        (await Service(world).OpenLinkAsync(tokens[1])).Attachment!.Id.Should().Be(second.Id);
    }

    [Fact]
    public async Task The_credits_charged_include_the_download_link()
    {
        await using var world = await WorldAsync();
        var attachment = await UploadAsync(world, Pdf(100));

        var message = await world.Messages.SendAsync(Bob, new SendMessageRequest
        {
            WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = new string('a', 100), Attachments = [attachment.Id],
        });
        await world.Dispatcher.DispatchDueAsync();

        message.Segments.Should().Be(2, "100 characters fit one segment, but not with the link");
        SmsSegmentCalculator.Calculate(world.Sms.Accepted[^1].Body).Segments.Should().Be(message.Segments);
        (await world.Credits.GetBalanceAsync(Trust)).Should().Be(98);
    }

    [Fact]
    public async Task An_attachment_of_another_workspace_or_unknown_cannot_be_sent_and_nothing_is_charged()
    {
        await using var world = await WorldAsync();
        var elsewhere = await UploadAsync(world, Pdf(100), workspace: TrustDefault);

        var other = () => world.Messages.SendAsync(Bob, new SendMessageRequest
        {
            WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = "Hi", Attachments = [elsewhere.Id],
        });
        var unknown = () => world.Messages.SendAsync(Bob, new SendMessageRequest
        {
            WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = "Hi", Attachments = [AttachmentId.New()],
        });

        (await other.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.AttachmentNotFound);
        (await unknown.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.AttachmentNotFound);
        (await world.Credits.GetBalanceAsync(Trust)).Should().Be(100);
    }

    [Fact]
    public async Task A_patient_can_send_a_file_with_the_reply_and_staff_open_it()
    {
        await using var world = await WorldAsync();
        await world.Messages.SendAsync(Bob, new SendMessageRequest { WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = "Send a photo?", AllowReply = true });
        await world.Dispatcher.DispatchDueAsync();
        var token = ReplyLink().Match(world.Sms.Accepted[^1].Body).Groups[1].Value;
        byte[] photo = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5];
        var replies = world.Services.GetRequiredService<IPatientReplyService>();

        var result = await replies.ReplyAsync(token, "Here it is", new AttachmentUpload("arm.jpg", "image/jpeg", new MemoryStream(photo)));
        var again = await replies.ReplyAsync(token, "And another", new AttachmentUpload("arm2.jpg", "image/jpeg", new MemoryStream(photo)));

        result.Accepted.Should().BeTrue();
        again.Status.Should().Be(ReplyLinkStatus.AlreadyUsed);
        var reply = (await world.Store.GetMessageAsync(result.ReplyId!.Value))!;
        var attachment = (await world.Store.GetAttachmentAsync(reply.Attachments.Should().ContainSingle().Subject))!;
        attachment.UploadedByPatient.Should().Be(Jane);
        attachment.UploadedBy.Should().BeNull();
        (await ReadAsync(await Service(world).OpenAsync(Bob, attachment.Id))).Should().Equal(photo);
        Files(world).Count.Should().Be(1, "the refused second reply left no file behind");
    }

    [Fact]
    public async Task A_reply_with_a_refused_file_records_nothing_and_keeps_the_link_usable()
    {
        await using var world = await WorldAsync(maxBytes: 1024);
        await world.Messages.SendAsync(Bob, new SendMessageRequest { WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = "Send a photo?", AllowReply = true });
        await world.Dispatcher.DispatchDueAsync();
        var token = ReplyLink().Match(world.Sms.Accepted[^1].Body).Groups[1].Value;
        var replies = world.Services.GetRequiredService<IPatientReplyService>();

        var tooBig = () => replies.ReplyAsync(token, "Here", new AttachmentUpload("scan.pdf", "application/pdf", new MemoryStream(Pdf(2048))));

        (await tooBig.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.AttachmentTooLarge);
        Files(world).Count.Should().Be(0);
        (await replies.OpenAsync(token)).Status.Should().Be(ReplyLinkStatus.Valid);
    }

    [Fact]
    public async Task Download_tokens_are_not_stored_or_logged_in_clear()
    {
        await using var world = await WorldAsync();
        var attachment = await UploadAsync(world, Pdf(100));
        await world.Messages.SendAsync(Bob, new SendMessageRequest
        {
            WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = "Letter", Attachments = [attachment.Id], AllowReply = true,
        });
        await world.Dispatcher.DispatchDueAsync();
        var text = world.Sms.Accepted[^1].Body;
        var download = DownloadLink().Match(text).Groups[1].Value;
        var reply = ReplyLink().Match(text).Groups[1].Value;
        await Service(world).OpenLinkAsync(download);

        var dump = StoreDump.Of(world);

        dump.Should().Contain(Messaging.Replies.ReplyTokens.Hash(download), "the dump does reach the links table");
        dump.Should().NotContain(download).And.NotContain(reply);
        world.Logs.AllText.Should().NotContain(download).And.NotContain(reply);
    }
}
