using System.Security.Cryptography;
using System.Text;
using Messaging.DirectMessages;
using Messaging.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using static Messaging.Tests.DirectMessages.DirectMessageWorld;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.DirectMessages;

public sealed class DirectMessageTests
{
    [Fact]
    public async Task The_email_carries_only_the_link_and_the_SMS_only_the_code()
    {
        await using var world = await DmWorldAsync();

        var (_, token, code) = await SendAndDeliverAsync(world);

        var email = world.Email.Accepted.Should().ContainSingle().Subject;
        var sms = world.Sms.Accepted.Should().ContainSingle().Subject;
        token.Should().HaveLength(22);
        code.Should().HaveLength(8).And.Match(c => c.All(ch => AccessCodeGenerator.Alphabet.Contains(ch)));

        email.To.Value.Should().Be("jane.doe@example.com");
        var emailText = $"{email.Subject}\n{email.TextBody}\n{email.HtmlBody}";
        emailText.Should().Contain("https://ehr.example.nhs.uk/m/d/" + token)
            .And.NotContain(code).And.NotContain(Content).And.NotContain(Subject).And.NotContain(LetterName).And.NotContain("/m/a/");

        sms.To.Value.Should().Be("+447400123456");
        sms.Body.Should().EndWith(" " + code)
            .And.NotContain(token).And.NotContain("http").And.NotContain(Content).And.NotContain(Subject).And.NotContain(LetterName).And.NotContain("/m/a/");
    }

    [Fact]
    public async Task The_right_code_with_the_link_unlocks_the_content_and_its_attachments()
    {
        await using var world = await DmWorldAsync();
        var (dm, token, code) = await SendAndDeliverAsync(world);

        var result = await world.DirectMessages().UnlockAsync(token, code.ToLowerInvariant());

        result.Status.Should().Be(DirectMessageUnlockStatus.Unlocked);
        result.Content!.Should().Match<DirectMessageContent>(c => c.Id == dm.Id && c.Subject == Subject && c.Body == Content && c.SenderName == "Bob Brown" && c.SentAt == dm.SentAt);
        var download = result.Content!.Attachments.Should().ContainSingle().Subject;
        download.Should().Match<DirectMessageDownload>(d => d.AttachmentId == dm.Attachments[0] && d.FileName == LetterName && d.ContentType == "application/pdf" && d.Length == 1000);
        download.DownloadLink.AbsoluteUri.Should().StartWith("https://ehr.example.nhs.uk/m/a/");
        await using var opened = await world.Services.GetRequiredService<IAttachmentService>().OpenLinkAsync(download.DownloadLink.Segments[^1]);
        opened.Status.Should().Be(AttachmentLinkStatus.Valid);
        using var copy = new MemoryStream();
        await opened.Content!.CopyToAsync(copy);
        copy.ToArray().Should().Equal(LetterBytes());
        (await StoredAsync(world, dm.Id)).FirstUnlockedAt.Should().NotBeNull();
    }

    [Fact]
    public async Task Neither_half_alone_unlocks()
    {
        await using var world = await DmWorldAsync();
        var (_, token, code) = await SendAndDeliverAsync(world);

        var codeWithoutItsLink = await world.DirectMessages().UnlockAsync(ReplyLikeToken(), code);
        var linkWithoutTheCode = await world.DirectMessages().UnlockAsync(token, WrongCode(code));
        var linkWithNothing = await world.DirectMessages().UnlockAsync(token, "");

        codeWithoutItsLink.Should().Be(new DirectMessageUnlockResult(DirectMessageUnlockStatus.Unknown));
        linkWithoutTheCode.Should().Be(new DirectMessageUnlockResult(DirectMessageUnlockStatus.WrongCode, AttemptsLeft: 4));
        linkWithNothing.Should().Be(new DirectMessageUnlockResult(DirectMessageUnlockStatus.WrongCode, AttemptsLeft: 3));
        (await world.DirectMessages().UnlockAsync("not a token", code)).Status.Should().Be(DirectMessageUnlockStatus.Unknown);
    }

    [Fact]
    public async Task The_fifth_wrong_code_locks_and_then_even_the_right_code_is_refused()
    {
        await using var world = await DmWorldAsync();
        var (dm, token, code) = await SendAndDeliverAsync(world);
        var service = world.DirectMessages();

        var wrong = new List<DirectMessageUnlockResult>();
        for (var i = 0; i < 5; i++)
        {
            wrong.Add(await service.UnlockAsync(token, WrongCode(code)));
        }

        var right = await service.UnlockAsync(token, code);

        wrong.Select(r => (r.Status, r.AttemptsLeft)).Should().Equal(
            (DirectMessageUnlockStatus.WrongCode, 4), (DirectMessageUnlockStatus.WrongCode, 3), (DirectMessageUnlockStatus.WrongCode, 2),
            (DirectMessageUnlockStatus.WrongCode, 1), (DirectMessageUnlockStatus.Locked, 0));
        right.Should().Be(new DirectMessageUnlockResult(DirectMessageUnlockStatus.Locked));
        (await service.CheckLinkAsync(token)).Should().Be(DirectMessageLinkStatus.Locked);
        var stored = await StoredAsync(world, dm.Id);
        stored.FailedAttempts.Should().Be(5);
        stored.LockedAt.Should().NotBeNull();
        stored.FirstUnlockedAt.Should().BeNull();
    }

    [Fact]
    public async Task Wrong_codes_count_over_the_codes_lifetime_so_a_right_one_does_not_buy_more_guesses()
    {
        await using var world = await DmWorldAsync();
        var (dm, token, code) = await SendAndDeliverAsync(world);
        var service = world.DirectMessages();
        for (var i = 0; i < 4; i++)
        {
            await service.UnlockAsync(token, WrongCode(code));
        }

        (await service.UnlockAsync(token, code)).Status.Should().Be(DirectMessageUnlockStatus.Unlocked);
        var afterTheRightCode = await service.UnlockAsync(token, WrongCode(code));

        afterTheRightCode.Should().Be(new DirectMessageUnlockResult(DirectMessageUnlockStatus.Locked, AttemptsLeft: 0), "the fifth wrong code of this code's life locks it");
        (await service.UnlockAsync(token, code)).Status.Should().Be(DirectMessageUnlockStatus.Locked);
        (await StoredAsync(world, dm.Id)).FailedAttempts.Should().Be(5);
    }

    [Fact]
    public async Task A_resent_code_unlocks_a_locked_message_and_the_old_code_does_not()
    {
        await using var world = await DmWorldAsync();
        var (dm, token, oldCode) = await SendAndDeliverAsync(world);
        var service = world.DirectMessages();
        for (var i = 0; i < 5; i++)
        {
            await service.UnlockAsync(token, WrongCode(oldCode));
        }

        var resent = await service.ResendCodeAsync(Bob, dm.Id);
        var oldBeforeTheNewSmsLeaves = await service.UnlockAsync(token, oldCode);
        await world.Dispatcher.DispatchDueAsync();
        var newCode = LatestCode(world);
        var oldAfter = await service.UnlockAsync(token, oldCode);
        var fresh = await service.UnlockAsync(token, newCode);

        resent.State.Should().Be(DirectMessageState.Pending);
        resent.FailedAttempts.Should().Be(0);
        resent.SmsMessageId.Should().NotBe(dm.SmsMessageId);
        resent.EmailMessageId.Should().Be(dm.EmailMessageId, "the link had not expired, so only the code is resent");
        world.Sms.Accepted.Should().HaveCount(2);
        world.Email.Accepted.Should().ContainSingle();
        newCode.Should().NotBe(oldCode);
        oldBeforeTheNewSmsLeaves.Should().Be(new DirectMessageUnlockResult(DirectMessageUnlockStatus.WrongCode, AttemptsLeft: 5), "the old code died with the resend, and nothing is guessable until the new one exists");
        oldAfter.Should().Be(new DirectMessageUnlockResult(DirectMessageUnlockStatus.WrongCode, AttemptsLeft: 4));
        fresh.Status.Should().Be(DirectMessageUnlockStatus.Unlocked);
        (await StoredAsync(world, dm.Id)).FailedAttempts.Should().Be(1, "the resend cleared the old code's count, and the wrong code typed against the new one is not forgiven by the right one");
    }

    [Fact]
    public async Task The_code_expires_after_its_lifetime()
    {
        await using var world = await DmWorldAsync(tweak: o => o.AccessCodeLifetime = TimeSpan.FromHours(1));
        var (_, token, code) = await SendAndDeliverAsync(world);
        var service = world.DirectMessages();

        world.Clock.Advance(Duration.FromMinutes(58));
        var justBefore = await service.CheckLinkAsync(token);
        world.Clock.Advance(Duration.FromMinutes(2));
        var after = await service.UnlockAsync(token, code);

        justBefore.Should().Be(DirectMessageLinkStatus.Ready);
        after.Should().Be(new DirectMessageUnlockResult(DirectMessageUnlockStatus.Expired));
        (await service.CheckLinkAsync(token)).Should().Be(DirectMessageLinkStatus.Expired);
    }

    [Fact]
    public async Task An_expired_link_is_refused_and_a_resend_then_sends_a_new_link_and_code_that_work()
    {
        await using var world = await DmWorldAsync(tweak: o => o.LinkLifetime = TimeSpan.FromDays(2));
        var (dm, oldToken, oldCode) = await SendAndDeliverAsync(world);
        var service = world.DirectMessages();
        world.Clock.Advance(Duration.FromDays(2));

        var expired = await service.UnlockAsync(oldToken, oldCode);
        var resent = await service.ResendCodeAsync(Bob, dm.Id);
        await world.Dispatcher.DispatchDueAsync();
        var (newToken, newCode) = (LatestToken(world), LatestCode(world));

        expired.Should().Be(new DirectMessageUnlockResult(DirectMessageUnlockStatus.Expired));
        resent.EmailMessageId.Should().NotBe(dm.EmailMessageId);
        world.Email.Accepted.Should().HaveCount(2);
        newToken.Should().NotBe(oldToken);
        (await service.UnlockAsync(oldToken, newCode)).Status.Should().Be(DirectMessageUnlockStatus.Unknown, "the old link was replaced");
        (await service.UnlockAsync(newToken, newCode)).Status.Should().Be(DirectMessageUnlockStatus.Unlocked);
    }

    [Fact]
    public async Task The_store_holds_no_code_or_link_token_in_clear_only_their_hashes()
    {
        await using var world = await DmWorldAsync();
        var (dm, token, code) = await SendAndDeliverAsync(world);

        var unlocked = await world.DirectMessages().UnlockAsync(token, code);

        var stored = await StoredAsync(world, dm.Id);
        var messages = await world.Store.ListConversationMessagesAsync(dm.ConversationId);
        var everything = StoreDump.Of(world) + world.Logs.AllText;
        everything.Should().Contain(stored.LinkTokenHash!, "the dump does include the Direct Message record");
        everything.Should().NotContain(code).And.NotContain(token).And.NotContain(unlocked.Content!.Attachments[0].DownloadLink.Segments[^1]);
        stored.LinkTokenHash.Should().Be(Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(token))).ToLowerInvariant());
        var hash = HashedAccessCode.Parse(stored.AccessCodeHash!);
        hash.Parameters.Should().Be(AccessCodeTestSupport.Cheap, "the parameters travel with the hash, so they can be raised later");
        hash.Salt.Length.Should().Be(16);
        stored.AccessCodeHash.Should().StartWith("$argon2id$v=19$m=256,t=1,p=1$");
        messages.Should().HaveCount(2).And.OnlyContain(m => m.DirectMessageId == dm.Id);
        messages.Should().OnlyContain(m => !m.Body.Contains(Content, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sending_is_refused_before_anything_is_written_without_an_email_a_mobile_or_credits()
    {
        await using var world = await DmWorldAsync(credits: 0);
        var before = await world.AuditCountAsync();
        var noCredits = async () => await world.DirectMessages().SendAsync(Bob, Request());
        (await noCredits.Should().ThrowAsync<MessagingConflictException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.InsufficientCredits);
        (await world.AuditCountAsync()).Should().Be(before);

        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-2");
        await world.Patients.RegisterAsync(Alice, TrustDefault, new PatientRegistration
        {
            PatientId = new PatientId("p-no-email"), NhsNumber = NhsNumbers.Valid(1), DateOfBirth = new LocalDate(1980, 1, 1),
            GivenName = "No", FamilyName = "Email", Mobile = "07400 123457",
        });
        await world.Patients.RegisterAsync(Alice, TrustDefault, new PatientRegistration
        {
            PatientId = new PatientId("p-no-mobile"), NhsNumber = NhsNumbers.Valid(2), DateOfBirth = new LocalDate(1980, 1, 1),
            GivenName = "No", FamilyName = "Mobile", Email = "no.mobile@example.com",
        });
        var afterSetup = await world.AuditCountAsync();
        var noEmail = async () => await world.DirectMessages().SendAsync(Bob, Request() with { PatientId = new PatientId("p-no-email") });
        var noMobile = async () => await world.DirectMessages().SendAsync(Bob, Request() with { PatientId = new PatientId("p-no-mobile") });

        (await noEmail.Should().ThrowAsync<MessagingValidationException>()).Which.Field.Should().Be("email");
        (await noMobile.Should().ThrowAsync<MessagingValidationException>()).Which.Field.Should().Be("mobile");
        (await world.AuditCountAsync()).Should().Be(afterSetup);
        (await world.Credits.GetBalanceAsync(Trust)).Should().Be(10);
        (await world.Store.ClaimOutboxAsync("probe", world.Clock.GetCurrentInstant(), Duration.FromMinutes(1), 10)).Should().BeEmpty();
    }

    [Fact]
    public async Task The_code_SMS_is_charged_and_the_email_is_not()
    {
        await using var world = await DmWorldAsync(credits: 5);

        var dm = await world.DirectMessages().SendAsync(Bob, Request());

        var ledger = await world.Credits.GetLedgerAsync(Trust);
        ledger[^1].Should().Match<CreditLedgerEntry>(e => e.Kind == CreditEntryKind.Charge && e.Amount == -1 && e.MessageId == dm.SmsMessageId);
        (await world.Credits.GetBalanceAsync(Trust)).Should().Be(4);
    }

    [Fact]
    public async Task An_opted_out_mobile_cannot_receive_a_Direct_Message()
    {
        await using var world = await DmWorldAsync();
        await world.Services.GetRequiredService<IOptOutService>().HandleInboundAsync(Trust, new InboundSms("fake-sms", "SM1", PhoneNumber.FromE164("+447400123456"), PhoneNumber.FromE164("+447700900000"), "STOP"));

        var send = async () => await world.DirectMessages().SendAsync(Bob, Request());

        (await send.Should().ThrowAsync<MessagingConflictException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.RecipientOptedOut);
    }

    [Fact]
    public async Task A_non_member_can_neither_send_nor_view_nor_resend()
    {
        await using var world = await DmWorldAsync();
        var (dm, _, _) = await SendAndDeliverAsync(world);
        var service = world.DirectMessages();

        var send = async () => await service.SendAsync(Mallory, Request());
        var view = async () => await service.GetAsync(Mallory, dm.Id);
        var resend = async () => await service.ResendCodeAsync(Mallory, dm.Id);

        (await send.Should().ThrowAsync<MessagingAuthorizationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.NotAMember);
        await view.Should().ThrowAsync<MessagingAuthorizationException>();
        await resend.Should().ThrowAsync<MessagingAuthorizationException>();
    }

    [Fact]
    public async Task Send_unlock_wrong_codes_lock_refusal_view_and_resend_are_each_audited()
    {
        await using var world = await DmWorldAsync();
        var (dm, token, code) = await SendAndDeliverAsync(world);
        var service = world.DirectMessages();
        await service.UnlockAsync(token, code);
        for (var i = 0; i < 5; i++)
        {
            await service.UnlockAsync(token, WrongCode(code));
        }

        await service.UnlockAsync(token, code);
        await service.GetAsync(Carol, dm.Id);
        await service.ResendCodeAsync(Alice, dm.Id);

        var trail = await service.GetAuditTrailAsync(Alice, dm.Id);
        trail.Select(e => e.Action.Value).Should().Equal(
            "directmessage.sent", "directmessage.unlocked",
            "directmessage.unlock_failed", "directmessage.unlock_failed", "directmessage.unlock_failed", "directmessage.unlock_failed", "directmessage.unlock_failed",
            "directmessage.locked", "directmessage.unlock_refused", "directmessage.viewed", "directmessage.code_resent");
        trail.Should().OnlyContain(e => e.PatientId == Jane && e.TargetId == dm.Id.ToString());
        trail[1].Actor.Should().Be(AuditActor.Patient(Jane));
        trail[9].Actor.Should().Be(AuditActor.Staff(Carol));
        trail[10].Actor.Should().Be(AuditActor.Staff(Alice));
        trail[8].Details!["reason"].Should().Be("locked");
    }

    [Fact]
    public async Task The_same_idempotency_key_returns_the_original_and_different_content_conflicts()
    {
        await using var world = await DmWorldAsync();

        var first = await world.DirectMessages().SendAsync(Bob, Request("dm-1"));
        var again = await world.DirectMessages().SendAsync(Bob, Request("dm-1"));
        var other = async () => await world.DirectMessages().SendAsync(Bob, Request("dm-1") with { Body = "Something else" });

        again.Id.Should().Be(first.Id);
        (await other.Should().ThrowAsync<MessagingConflictException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.IdempotencyKeyReused);
        (await world.Store.ListConversationMessagesAsync(first.ConversationId)).Should().HaveCount(2);
    }

    [Fact]
    public async Task A_staff_member_sees_where_the_message_stands_without_any_secret()
    {
        await using var world = await DmWorldAsync();
        var queued = await world.DirectMessages().SendAsync(Bob, Request());
        await world.Dispatcher.DispatchDueAsync();

        var sent = await world.DirectMessages().GetAsync(Bob, queued.Id);
        await world.DirectMessages().UnlockAsync(LatestToken(world), LatestCode(world));
        var unlocked = await world.DirectMessages().GetAsync(Bob, queued.Id);

        queued.State.Should().Be(DirectMessageState.Pending);
        sent.State.Should().Be(DirectMessageState.Sent);
        sent.Body.Should().Be(Content);
        sent.LinkExpiresAt.Should().NotBeNull();
        sent.AccessCodeExpiresAt.Should().NotBeNull();
        unlocked.State.Should().Be(DirectMessageState.Unlocked);
        unlocked.FirstUnlockedAt.Should().NotBeNull();
    }

    private static string ReplyLikeToken() => new('A', 22);

    [Fact]
    public async Task The_host_hears_of_each_unlock_and_of_both_queued_messages_after_they_commit()
    {
        var recorder = new EventRecorder();
        await using var world = await DmWorldAsync(register: s =>
        {
            s.AddSingleton<IMessagingEventHandler<DirectMessageUnlocked>>(recorder);
            s.AddSingleton<IMessagingEventHandler<MessageQueued>>(recorder);
        });
        var (dm, token, code) = await SendAndDeliverAsync(world);

        await world.DirectMessages().UnlockAsync(token, code);
        await world.DirectMessages().UnlockAsync(token, WrongCode(code));
        await world.DirectMessages().UnlockAsync(token, code);

        recorder.Queued.Select(e => e.MessageId).Should().BeEquivalentTo([dm.EmailMessageId, dm.SmsMessageId]);
        recorder.Unlocked.Should().HaveCount(2).And.OnlyContain(e =>
            e.MessageId == dm.EmailMessageId && e.ConversationId == dm.ConversationId && e.PatientId == Jane && e.Channel == MessageChannel.DirectMessage);
    }

    private sealed class EventRecorder : IMessagingEventHandler<DirectMessageUnlocked>, IMessagingEventHandler<MessageQueued>
    {
        public List<DirectMessageUnlocked> Unlocked { get; } = [];

        public List<MessageQueued> Queued { get; } = [];

        public Task HandleAsync(DirectMessageUnlocked messagingEvent, CancellationToken cancellationToken)
        {
            Unlocked.Add(messagingEvent);
            return Task.CompletedTask;
        }

        public Task HandleAsync(MessageQueued messagingEvent, CancellationToken cancellationToken)
        {
            Queued.Add(messagingEvent);
            return Task.CompletedTask;
        }
    }
}
