using Messaging.Outbox;
using Messaging.Testing.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Sending;

public sealed class SendingTests
{
    private const string Body = "Your biopsy results are ready. Please call the clinic on Monday.";

    private static SendMessageRequest Sms(string body = Body, ConversationId? conversation = null, string? key = null)
        => new() { WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, ConversationId = conversation, Body = body, IdempotencyKey = key };

    [Fact]
    public async Task A_send_writes_the_message_its_outbox_record_and_its_charge_together_and_returns_queued()
    {
        await using var world = await CreateAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");

        var message = await world.Messages.SendAsync(Bob, Sms());

        message.Status.Should().Be(DeliveryStatus.Queued);
        message.Recipient.Should().Be("+447400123456");
        message.Segments.Should().Be(1);
        (await world.Store.GetMessageAsync(message.Id)).Should().NotBeNull();
        (await world.Credits.GetBalanceAsync(Trust)).Should().Be(9);
        var claimed = await world.Store.ClaimOutboxAsync("probe", world.Clock.GetCurrentInstant(), Duration.FromMinutes(1), 10);
        claimed.Should().ContainSingle().Which.MessageId.Should().Be(message.Id);
        world.Sms.Calls.Should().Be(0, "sending returns at once; the dispatcher talks to the provider");
    }

    [Fact]
    public async Task When_the_charge_fails_at_commit_neither_the_message_nor_its_outbox_record_is_written()
    {
        await using var world = await CreateAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 1, "INV-1");
        var sent = await world.Messages.SendAsync(Bob, Sms());
        var stored = (await world.Store.GetMessageAsync(sent.Id))!;
        var copy = stored with { Id = MessageId.New(), IdempotencyKey = null };

        // The same writes the send path stages, with a charge the (now empty) balance cannot cover.
        var work = await world.Store.BeginAsync();
        await using (work)
        {
            work.AddMessage(copy);
            work.AddOutboxEntry(new OutboxEntry(copy.Id, 0, world.Clock.GetCurrentInstant()));
            work.AppendCreditEntry(new CreditLedgerEntry(Guid.NewGuid(), Trust, CreditEntryKind.Charge, -1, copy.Id, world.Clock.GetCurrentInstant()));
            var commit = () => work.CommitAsync().AsTask();
            (await commit.Should().ThrowAsync<MessagingConflictException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.InsufficientCredits);
        }

        (await world.Store.GetMessageAsync(copy.Id)).Should().BeNull();
        var outbox = await world.Store.ClaimOutboxAsync("probe", world.Clock.GetCurrentInstant(), Duration.FromMinutes(1), 10);
        outbox.Select(e => e.MessageId).Should().Equal(sent.Id);
        (await world.Store.ListConversationMessagesAsync(sent.ConversationId)).Should().ContainSingle();
    }

    [Fact]
    public async Task The_dispatcher_hands_the_message_to_the_provider_and_marks_it_sent()
    {
        await using var world = await CreateAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var message = await world.Messages.SendAsync(Bob, Sms());

        (await world.Dispatcher.DispatchDueAsync()).Should().Be(1);

        var sent = (await world.Store.GetMessageAsync(message.Id))!;
        sent.Status.Should().Be(DeliveryStatus.Sent);
        sent.ProviderName.Should().Be("fake-sms");
        world.Sms.Accepted.Should().ContainSingle().Which.Should().Match<SmsSendRequest>(r => r.Body == Body && r.To.Value == "+447400123456" && r.IdempotencyKey == message.Id.ToString());
        (await world.Dispatcher.DispatchDueAsync()).Should().Be(0, "a sent message leaves the outbox");
    }

    [Fact]
    public async Task The_provider_requests_carry_the_sending_organisation()
    {
        await using var world = await CreateAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var sms = await world.Messages.SendAsync(Bob, Sms());
        var email = await world.Messages.SendAsync(Bob, new SendMessageRequest { WorkspaceId = Dermatology, Channel = MessageChannel.Email, PatientId = Jane, Subject = "Results", Body = Body });

        await world.Dispatcher.DispatchDueAsync();

        sms.OrganisationId.Should().Be(Trust);
        world.Sms.Accepted.Should().ContainSingle().Which.OrganisationId.Should().Be(sms.OrganisationId);
        world.Email.Accepted.Should().ContainSingle().Which.OrganisationId.Should().Be(email.OrganisationId);
    }

    [Fact]
    public async Task A_transient_failure_is_retried_after_a_backoff_with_the_same_idempotency_key_and_then_succeeds()
    {
        await using var world = await CreateAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var message = await world.Messages.SendAsync(Bob, Sms());
        world.Sms.FailTransiently(times: 2);

        await world.Dispatcher.DispatchDueAsync();
        (await world.Store.GetMessageAsync(message.Id))!.Should().Match<Message>(m => m.Status == DeliveryStatus.Sending && m.ErrorCode == "503");
        (await world.Dispatcher.DispatchDueAsync()).Should().Be(0, "the retry is not due yet");

        world.Clock.Advance(Duration.FromMinutes(1));
        await world.Dispatcher.DispatchDueAsync();
        world.Clock.Advance(Duration.FromMinutes(1));
        await world.Dispatcher.DispatchDueAsync();

        world.Sms.Calls.Should().Be(3);
        world.Sms.Accepted.Should().ContainSingle().Which.IdempotencyKey.Should().Be(message.Id.ToString());
        (await world.Store.GetMessageAsync(message.Id))!.Status.Should().Be(DeliveryStatus.Sent);
        (await world.Credits.GetBalanceAsync(Trust)).Should().Be(9);
    }

    [Fact]
    public async Task A_permanent_failure_is_marked_failed_with_the_providers_code_and_refunded()
    {
        await using var world = await CreateAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var message = await world.Messages.SendAsync(Bob, Sms());
        world.Sms.FailPermanently("21211");

        await world.Dispatcher.DispatchDueAsync();

        var failed = (await world.Store.GetMessageAsync(message.Id))!;
        failed.Status.Should().Be(DeliveryStatus.Failed);
        failed.ErrorCode.Should().Be("21211");
        (await world.Credits.GetBalanceAsync(Trust)).Should().Be(10);
        (await world.Credits.GetLedgerAsync(Trust)).Select(e => (e.Kind, e.Amount)).Should().Equal(
            (CreditEntryKind.Purchase, 10), (CreditEntryKind.Charge, -1), (CreditEntryKind.Refund, 1));
        world.Sms.Calls.Should().Be(1, "a permanent failure is not retried");
    }

    [Fact]
    public async Task Transient_failures_that_never_stop_fail_the_message_after_the_last_attempt_and_refund_it()
    {
        await using var world = await CreateAsync(configure: s => s.Configure<OutboxOptions>(o => o.MaxAttempts = 3));
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var message = await world.Messages.SendAsync(Bob, Sms());
        world.Sms.FailTransiently(times: 5);

        for (var i = 0; i < 5; i++)
        {
            await world.Dispatcher.DispatchDueAsync();
            world.Clock.Advance(Duration.FromMinutes(10));
        }

        world.Sms.Calls.Should().Be(3);
        (await world.Store.GetMessageAsync(message.Id))!.Status.Should().Be(DeliveryStatus.Failed);
        (await world.Credits.GetBalanceAsync(Trust)).Should().Be(10);
    }

    [Fact]
    public async Task A_second_sms_provider_takes_over_when_the_first_fails_transiently()
    {
        var backup = new FakeSmsProvider("backup-sms");
        await using var world = await CreateAsync(configure: s => s.AddSingleton<ISmsProvider>(backup));
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var message = await world.Messages.SendAsync(Bob, Sms());
        world.Sms.FailTransiently();

        await world.Dispatcher.DispatchDueAsync();

        (await world.Store.GetMessageAsync(message.Id))!.Should().Match<Message>(m => m.Status == DeliveryStatus.Sent && m.ProviderName == "backup-sms");
        backup.Accepted.Should().ContainSingle();
    }

    [Fact]
    public async Task Two_hundred_concurrent_sends_against_one_hundred_credits_charge_exactly_one_hundred()
    {
        await using var world = await CreateAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 100, "INV-1");
        var conversation = await world.Conversations.StartAsync(Bob, Dermatology, Jane);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            try
            {
                // New conversations avoid version races, so credits are the only contended resource.
                await world.Messages.SendAsync(i % 2 == 0 ? Bob : Carol, Sms($"Message {i}") with { ConversationId = null });
                return "sent";
            }
            catch (MessagingConflictException e)
            {
                return e.ErrorCode;
            }
        })));

        outcomes.Count(o => o == "sent").Should().Be(100);
        outcomes.Count(o => o == MessagingErrorCodes.InsufficientCredits).Should().Be(100);
        (await world.Credits.GetBalanceAsync(Trust)).Should().Be(0);
        var ledger = await world.Credits.GetLedgerAsync(Trust);
        ledger.Count(e => e.Kind == CreditEntryKind.Charge).Should().Be(100);
        ledger.Sum(e => e.Amount).Should().Be(0, "the balance can be audited from the ledger");
        (await world.Store.ClaimOutboxAsync("probe", world.Clock.GetCurrentInstant(), Duration.FromMinutes(1), 1000)).Should().HaveCount(100);
        conversation.Should().NotBeNull();
    }

    [Fact]
    public async Task A_send_that_cannot_be_paid_for_is_refused_before_anything_is_queued()
    {
        await using var world = await CreateAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 1, "INV-1");
        var twoSegments = new string('a', 161);

        var act = () => world.Messages.SendAsync(Bob, Sms(twoSegments));

        (await act.Should().ThrowAsync<MessagingConflictException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.InsufficientCredits);
        (await world.Store.ListPatientConversationsAsync(Dermatology, Jane, null)).Should().BeEmpty();
        (await world.Credits.GetBalanceAsync(Trust)).Should().Be(1);
    }

    [Fact]
    public async Task Continuing_a_conversation_adds_the_sender_and_moves_its_activity_on()
    {
        await using var world = await CreateAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var conversation = await world.Conversations.StartAsync(Carol, Dermatology, Jane);

        await world.Messages.SendAsync(Bob, Sms(conversation: conversation.Id));

        var after = (await world.Store.GetConversationAsync(conversation.Id))!;
        after.Participants.Should().Equal(Carol, Bob);
        after.ActivitySequence.Should().Be(1);
        (await world.Inbox.GetUnreadCountsAsync(Carol, Dermatology)).AssignedToMe.Should().Be(1, "Bob's message is new to Carol");
        (await world.Inbox.GetUnreadCountsAsync(Bob, Dermatology)).SentByMe.Should().Be(0, "the sender has read what they sent");
        (await world.Messages.ListAsync(Carol, conversation.Id)).Should().ContainSingle();
    }

    [Fact]
    public async Task Colleagues_sending_in_one_conversation_at_once_all_get_their_message_in()
    {
        await using var world = await CreateAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 100, "INV-1");
        var conversation = await world.Conversations.StartAsync(Bob, Dermatology, Jane);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() =>
            world.Messages.SendAsync(i % 2 == 0 ? Bob : Carol, Sms($"Note {i}", conversation: conversation.Id)))));

        (await world.Store.ListConversationMessagesAsync(conversation.Id)).Should().HaveCount(4);
        (await world.Store.GetConversationAsync(conversation.Id))!.ActivitySequence.Should().Be(4);
    }

    [Fact]
    public async Task The_same_idempotency_key_with_the_same_content_returns_the_original_and_with_other_content_conflicts()
    {
        await using var world = await CreateAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");

        var first = await world.Messages.SendAsync(Bob, Sms(key: "ehr-42"));
        var again = await world.Messages.SendAsync(Bob, Sms(key: "ehr-42"));
        var changed = () => world.Messages.SendAsync(Bob, Sms("Something else", key: "ehr-42"));

        again.Id.Should().Be(first.Id);
        (await changed.Should().ThrowAsync<MessagingConflictException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.IdempotencyKeyReused);
        (await world.Credits.GetBalanceAsync(Trust)).Should().Be(9);
    }

    [Fact]
    public async Task An_email_goes_to_the_patients_address_and_costs_no_credits()
    {
        await using var world = await CreateAsync();

        var message = await world.Messages.SendAsync(Bob, new SendMessageRequest
        {
            WorkspaceId = Dermatology, Channel = MessageChannel.Email, PatientId = Jane, Subject = "Your appointment", Body = "See you soon.", HtmlBody = "<p>See you soon.</p>",
        });
        await world.Dispatcher.DispatchDueAsync();

        message.Credits.Should().Be(0);
        world.Email.Accepted.Should().ContainSingle().Which.Should().Match<EmailSendRequest>(r => r.To.Value == "jane.doe@example.com" && r.HtmlBody == "<p>See you soon.</p>");
        (await world.Store.GetMessageAsync(message.Id))!.Status.Should().Be(DeliveryStatus.Sent);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task An_empty_body_is_refused(string body)
    {
        await using var world = await CreateAsync();

        var act = () => world.Messages.SendAsync(Bob, Sms(body));

        (await act.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.Required);
    }

    [Fact]
    public async Task A_non_member_cannot_send()
    {
        await using var world = await CreateAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");

        var act = () => world.Messages.SendAsync(Mallory, Sms());

        (await act.Should().ThrowAsync<MessagingAuthorizationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.NotAMember);
        (await world.Credits.GetBalanceAsync(Trust)).Should().Be(10);
    }

    [Fact]
    public async Task A_claim_whose_instance_died_is_taken_over_after_the_lease_and_the_message_is_sent_once()
    {
        await using var world = await CreateAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var message = await world.Messages.SendAsync(Bob, Sms());
        var lease = world.Services.GetRequiredService<IOptions<OutboxOptions>>().Value.Lease;

        // Another instance claims it and dies before answering.
        (await world.Store.ClaimOutboxAsync("dead-instance", world.Clock.GetCurrentInstant(), Duration.FromTimeSpan(lease), 10)).Should().ContainSingle();
        (await world.Dispatcher.DispatchDueAsync()).Should().Be(0, "the claim is still leased");

        world.Clock.Advance(Duration.FromTimeSpan(lease) + Duration.FromSeconds(1));
        (await world.Dispatcher.DispatchDueAsync()).Should().Be(1);

        world.Sms.Accepted.Should().ContainSingle();
        (await world.Store.GetMessageAsync(message.Id))!.Status.Should().Be(DeliveryStatus.Sent);
    }

    [Fact]
    public async Task Nothing_a_send_logs_contains_the_patients_number_email_name_nhs_number_or_the_body()
    {
        await using var world = await CreateAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        await world.Messages.SendAsync(Bob, Sms());
        await world.Messages.SendAsync(Bob, new SendMessageRequest { WorkspaceId = Dermatology, Channel = MessageChannel.Email, PatientId = Jane, Subject = "Results", Body = Body });
        world.Sms.FailTransiently();
        await world.Dispatcher.DispatchDueAsync();
        world.Clock.Advance(Duration.FromMinutes(5));
        await world.Dispatcher.DispatchDueAsync();

        world.Logs.Lines.Should().NotBeEmpty();
        var logged = world.Logs.AllText;
        foreach (var secret in new[] { "7400123456", "7400 123456", "jane.doe", "Jane", "Doe", "9434765919", "943 476 5919", "biopsy", "Results" })
        {
            logged.Should().NotContain(secret);
        }
    }
}
