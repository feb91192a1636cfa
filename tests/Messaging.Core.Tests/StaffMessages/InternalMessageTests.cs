using Messaging.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.StaffMessages;

public sealed class InternalMessageTests
{
    private const string Body = "Jane Doe's biopsy is back: benign. Please book her a follow-up in 6 weeks.";
    private const string Subject = "Follow-up for Jane Doe";

    private static IInternalMessageService Service(TestWorld world) => world.Services.GetRequiredService<IInternalMessageService>();

    private static INotificationService Notifications(TestWorld world) => world.Services.GetRequiredService<INotificationService>();

    private static SendInternalMessageRequest Request(params StaffId[] recipients) => new()
    {
        WorkspaceId = Dermatology,
        Recipients = recipients,
        PatientId = Jane,
        Subject = Subject,
        Body = Body,
    };

    [Fact]
    public async Task An_internal_message_never_reaches_a_provider_except_as_a_content_free_notification_email()
    {
        await using var world = await CreateAsync();

        var sent = await Service(world).SendAsync(Alice, Request(Bob, Carol));
        await world.Dispatcher.DispatchDueAsync();

        world.Sms.Calls.Should().Be(0);
        world.Email.Accepted.Select(e => e.To.Value).Should().BeEquivalentTo(["bob@northshire.nhs.uk", "carol@northshire.nhs.uk"]);
        foreach (var email in world.Email.Accepted)
        {
            var text = $"{email.Subject}\n{email.TextBody}\n{email.HtmlBody}";
            email.Subject.Should().Be("You have a secure message");
            text.Should().NotContain("biopsy").And.NotContain("Jane").And.NotContain("Doe").And.NotContain(PatientNhsNumber.Replace(" ", "", StringComparison.Ordinal))
                .And.NotContain("follow-up").And.NotContain("07400").And.NotContain("Alice");
        }

        sent.Messages.Should().ContainSingle().Which.Body.Should().Be(Body);
        (await world.Store.ListConversationMessagesAsync(sent.Thread.Id)).Should().BeEmpty("an internal thread is not a patient conversation");
    }

    [Fact]
    public async Task Each_recipient_gets_an_in_app_notification_pointing_at_the_thread_and_the_sender_does_not()
    {
        await using var world = await CreateAsync();

        var sent = await Service(world).SendAsync(Alice, Request(Bob));

        var bobs = await Notifications(world).ListAsync(Bob, new NotificationListRequest { WorkspaceId = Dermatology });
        bobs.Items.Should().ContainSingle().Which.Should().Match<Notification>(n =>
            n.Kind == NotificationKind.InternalMessage && n.ConversationId == sent.Thread.Id && n.MessageId == sent.Messages[0].Id && n.IsUnread);
        (await Notifications(world).CountUnreadAsync(Bob, Dermatology)).Should().Be(1);
        (await Notifications(world).CountUnreadAsync(Alice, Dermatology)).Should().Be(0);
        (await Notifications(world).CountUnreadAsync(Carol, Dermatology)).Should().Be(0);
    }

    [Fact]
    public async Task The_recipient_replies_in_the_same_thread_and_the_sender_is_notified()
    {
        await using var world = await CreateAsync();
        var sent = await Service(world).SendAsync(Alice, Request(Bob));
        await world.Dispatcher.DispatchDueAsync();
        var notification = (await Notifications(world).ListAsync(Bob, new NotificationListRequest { WorkspaceId = Dermatology })).Items[0];

        var reply = await Service(world).ReplyAsync(Bob, notification.ConversationId!.Value, "Booked for 4 January.");
        await world.Dispatcher.DispatchDueAsync();

        var thread = await Service(world).GetThreadAsync(Alice, sent.Thread.Id);
        thread.Messages.Select(m => (m.SentBy, m.Body)).Should().Equal((Alice, Body), (Bob, "Booked for 4 January."));
        thread.Thread.LastActivityAt.Should().Be(reply.CreatedAt);
        var alices = await Notifications(world).ListAsync(Alice, new NotificationListRequest { WorkspaceId = Dermatology });
        alices.Items.Should().ContainSingle().Which.MessageId.Should().Be(reply.Id);
        world.Email.Accepted.Select(e => e.To.Value).Should().Equal("bob@northshire.nhs.uk", "alice@northshire.nhs.uk");
        world.Sms.Calls.Should().Be(0);
    }

    [Fact]
    public async Task Only_participants_read_or_reply_and_a_non_member_cannot_send()
    {
        await using var world = await CreateAsync();
        var sent = await Service(world).SendAsync(Alice, Request(Bob));

        var carolReads = async () => await Service(world).GetThreadAsync(Carol, sent.Thread.Id);
        var carolReplies = async () => await Service(world).ReplyAsync(Carol, sent.Thread.Id, "Me too");
        var malloryReads = async () => await Service(world).GetThreadAsync(Mallory, sent.Thread.Id);
        var mallorySends = async () => await Service(world).SendAsync(Mallory, Request(Bob));

        (await carolReads.Should().ThrowAsync<MessagingAuthorizationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.NotAParticipant);
        (await carolReplies.Should().ThrowAsync<MessagingAuthorizationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.NotAParticipant);
        (await malloryReads.Should().ThrowAsync<MessagingAuthorizationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.NotAMember);
        (await mallorySends.Should().ThrowAsync<MessagingAuthorizationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.NotAMember);
    }

    [Fact]
    public async Task A_recipient_outside_the_workspace_or_an_unknown_patient_is_refused_and_nothing_is_written()
    {
        await using var world = await CreateAsync();
        var before = await world.AuditCountAsync();

        var toOutsider = async () => await Service(world).SendAsync(Alice, Request(Bob, Mallory));
        var unknownPatient = async () => await Service(world).SendAsync(Alice, Request(Bob) with { PatientId = new PatientId("p-404") });
        var toSelf = async () => await Service(world).SendAsync(Alice, Request(Alice));
        var empty = async () => await Service(world).SendAsync(Alice, Request(Bob) with { Body = " " });

        (await toOutsider.Should().ThrowAsync<MessagingNotFoundException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.MemberNotFound);
        (await unknownPatient.Should().ThrowAsync<MessagingNotFoundException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.PatientNotFound);
        (await toSelf.Should().ThrowAsync<MessagingValidationException>()).Which.Field.Should().Be("recipients");
        (await empty.Should().ThrowAsync<MessagingValidationException>()).Which.Field.Should().Be("body");
        (await world.AuditCountAsync()).Should().Be(before);
        (await Notifications(world).CountUnreadAsync(Bob, Dermatology)).Should().Be(0);
        world.Email.Calls.Should().Be(0);
    }

    [Fact]
    public async Task Messages_about_a_patient_are_audited_with_the_patient_and_found_from_the_patient()
    {
        await using var world = await CreateAsync();
        var sent = await Service(world).SendAsync(Alice, Request(Bob));
        await Service(world).ReplyAsync(Bob, sent.Thread.Id, "Booked.");
        await Service(world).GetThreadAsync(Bob, sent.Thread.Id);
        var aboutNobody = await Service(world).SendAsync(Bob, Request(Carol) with { PatientId = null, Subject = null, Body = "I need a cuppa!" });

        var trail = await world.Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Trust, TargetId = sent.Thread.Id.ToString() });
        trail.Select(e => (e.Action.Value, e.Actor.Id)).Should().Equal(
            ("internal.message_sent", "alice"), ("internal.message_sent", "bob"), ("internal.thread_viewed", "bob"));
        trail.Should().OnlyContain(e => e.PatientId == Jane);
        (await world.Store.ListPatientInternalThreadsAsync(Trust, Jane)).Select(t => t.Id).Should().Equal(sent.Thread.Id);
        aboutNobody.Thread.PatientId.Should().BeNull();
    }

    [Fact]
    public async Task A_member_lists_their_threads_latest_activity_first()
    {
        await using var world = await CreateAsync();
        var first = await Service(world).SendAsync(Alice, Request(Bob));
        var second = await Service(world).SendAsync(Carol, Request(Bob) with { PatientId = null });
        await Service(world).SendAsync(Carol, Request(Alice) with { PatientId = null });
        await Service(world).ReplyAsync(Bob, first.Thread.Id, "Done.");

        var bobs = await Service(world).ListThreadsAsync(Bob, Dermatology);

        bobs.Select(t => t.Id).Should().Equal(first.Thread.Id, second.Thread.Id);
    }
}
