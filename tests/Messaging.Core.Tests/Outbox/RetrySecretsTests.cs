using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Messaging.Testing.Fakes;
using Messaging.Tests.DirectMessages;
using Messaging.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using static Messaging.Tests.DirectMessages.DirectMessageWorld;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Outbox;

/// <summary>
/// R29: a retry after an uncertain provider result (a timeout: the SMS or email may have gone out) reproduces the same
/// reply link, download links and Direct-Message link and code, so whatever the patient already holds keeps working.
/// </summary>
public sealed partial class RetrySecretsTests
{
    [GeneratedRegex(@"https://ehr\.example\.nhs\.uk/m/r/([A-Za-z0-9_-]{22})")]
    private static partial Regex ReplyLink();

    [GeneratedRegex(@"https://ehr\.example\.nhs\.uk/m/a/([A-Za-z0-9_-]{22})")]
    private static partial Regex DownloadLink();

    [GeneratedRegex(@" ([A-Z0-9]{8,32})$")]
    private static partial Regex Code();

    /// <summary>Every request the SDK handed to a provider, accepted or not (what the patient may have received).</summary>
    private sealed class Attempts
    {
        public ConcurrentQueue<SmsSendRequest> Sms { get; } = new();

        public ConcurrentQueue<EmailSendRequest> Email { get; } = new();
    }

    private sealed class RecordingSms(FakeSmsProvider inner, Attempts attempts) : ISmsProvider
    {
        public string Name => inner.Name;

        public Task<ProviderSendResult> SendAsync(SmsSendRequest request, CancellationToken cancellationToken = default)
        {
            attempts.Sms.Enqueue(request);
            return inner.SendAsync(request, cancellationToken);
        }
    }

    private sealed class RecordingEmail(FakeEmailProvider inner, Attempts attempts) : IEmailProvider
    {
        public string Name => inner.Name;

        public Task<ProviderSendResult> SendAsync(EmailSendRequest request, CancellationToken cancellationToken = default)
        {
            attempts.Email.Enqueue(request);
            return inner.SendAsync(request, cancellationToken);
        }
    }

    private static void Record(IServiceCollection services, Attempts attempts)
    {
        services.RemoveAll<ISmsProvider>();
        services.RemoveAll<IEmailProvider>();
        services.AddSingleton<ISmsProvider>(sp => new RecordingSms(sp.GetRequiredService<FakeSmsProvider>(), attempts));
        services.AddSingleton<IEmailProvider>(sp => new RecordingEmail(sp.GetRequiredService<FakeEmailProvider>(), attempts));
    }

    private static async Task RetryUntilSentAsync(TestWorld world, int attempts)
    {
        for (var i = 0; i < attempts; i++)
        {
            await world.Dispatcher.DispatchDueAsync();
            world.Clock.Advance(Duration.FromMinutes(10));
        }
    }

    [Fact]
    public async Task A_retried_reply_enabled_message_with_an_attachment_carries_the_same_links_and_the_first_ones_work()
    {
        var attempts = new Attempts();
        await using var world = await CreateAsync(configure: s => Record(s, attempts));
        await world.Credits.PurchaseAsync(Alice, Trust, 100, "INV-1");
        var letter = await world.Services.GetRequiredService<IAttachmentService>().UploadAsync(
            Bob, Dermatology, new AttachmentUpload("letter.pdf", "application/pdf", new MemoryStream(LetterBytes())));
        var message = await world.Messages.SendAsync(Bob, new SendMessageRequest
        {
            WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = "Your letter is attached; reply if anything is unclear.", AllowReply = true, Attachments = [letter.Id],
        });
        world.Sms.FailTransiently(times: 2); // e.g. timeouts: the SMS may already have been created

        await RetryUntilSentAsync(world, 3);

        (await world.Store.GetMessageAsync(message.Id))!.Status.Should().Be(DeliveryStatus.Sent);
        var texts = attempts.Sms.Select(r => r.Body).ToArray();
        texts.Should().HaveCount(3).And.OnlyContain(t => t == texts[0], "every attempt sends exactly the same text");
        var firstReply = ReplyLink().Match(texts[0]).Groups[1].Value;
        var firstDownload = DownloadLink().Match(texts[0]).Groups[1].Value;

        await using (var opened = await world.Services.GetRequiredService<IAttachmentService>().OpenLinkAsync(firstDownload))
        {
            opened.Status.Should().Be(AttachmentLinkStatus.Valid);
        }

        var replies = world.Services.GetRequiredService<IPatientReplyService>();
        (await replies.OpenAsync(firstReply)).Status.Should().Be(ReplyLinkStatus.Valid);
        (await replies.ReplyAsync(firstReply, "All clear, thanks.")).Accepted.Should().BeTrue();
    }

    [Fact]
    public async Task A_retried_Direct_Message_sends_the_same_link_and_code_and_the_first_code_unlocks_without_a_wrong_attempt()
    {
        var attempts = new Attempts();
        await using var world = await DmWorldAsync(register: s => Record(s, attempts));
        var dm = await world.DirectMessages().SendAsync(Bob, Request());
        world.Sms.FailTransiently(times: 2);
        world.Email.FailTransiently(times: 2);

        await RetryUntilSentAsync(world, 3);

        var codes = attempts.Sms.Select(r => Code().Match(r.Body).Groups[1].Value).ToArray();
        var links = attempts.Email.Select(r => LinkPattern().Match(r.TextBody).Groups[1].Value).ToArray();
        codes.Should().HaveCount(3).And.OnlyContain(c => c == codes[0] && c.Length >= 8);
        links.Should().HaveCount(3).And.OnlyContain(l => l == links[0] && l.Length == 22);

        var result = await world.DirectMessages().UnlockAsync(links[0], codes[0]);

        result.Status.Should().Be(DirectMessageUnlockStatus.Unlocked);
        (await StoredAsync(world, dm.Id)).FailedAttempts.Should().Be(0);
    }

    [Fact]
    public async Task A_staff_resend_still_sends_a_new_code_and_link_that_differ_from_the_first()
    {
        await using var world = await DmWorldAsync(tweak: o => o.LinkLifetime = TimeSpan.FromHours(1));
        var (dm, token, code) = await SendAndDeliverAsync(world);
        world.Clock.Advance(Duration.FromHours(2)); // the link expired, so the resend sends a new one too

        await world.DirectMessages().ResendCodeAsync(Bob, dm.Id);
        await world.Dispatcher.DispatchDueAsync();

        LatestCode(world).Should().NotBe(code);
        LatestToken(world).Should().NotBe(token);
        (await world.DirectMessages().UnlockAsync(LatestToken(world), LatestCode(world))).Status.Should().Be(DirectMessageUnlockStatus.Unlocked);
    }
}
