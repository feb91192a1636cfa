using System.Text.RegularExpressions;
using Messaging.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Notifications;

/// <summary>R9: a patient's reply notifies the assignee only (each member when a team), in the app and by a content-free email.</summary>
public sealed partial class ReplyNotificationTests
{
    private const string Reply = "The rash on my left arm is worse since Tuesday";

    [GeneratedRegex(@"https://ehr\.example\.nhs\.uk/m/r/([A-Za-z0-9_-]{22})")]
    private static partial Regex LinkPattern();

    private static async Task<TestWorld> WorldAsync(Action<IServiceCollection>? configure = null)
    {
        var world = await CreateAsync(configure: configure);
        await world.Credits.PurchaseAsync(Alice, Trust, 100, "INV-1");
        return world;
    }

    private static INotificationService Notifications(TestWorld world) => world.Services.GetRequiredService<INotificationService>();

    private static async Task<(Message Message, string Token)> SendWithReplyAsync(TestWorld world, StaffId sender)
    {
        var message = await world.Messages.SendAsync(sender, new SendMessageRequest
        {
            WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = "How is the rash?", AllowReply = true,
        });
        await world.Dispatcher.DispatchDueAsync();
        return (message, LinkPattern().Match(world.Sms.Accepted[^1].Body).Groups[1].Value);
    }

    private static async Task<IReadOnlyList<Notification>> NotificationsOfAsync(TestWorld world, StaffId staff)
        => (await Notifications(world).ListAsync(staff, new NotificationListRequest { WorkspaceId = Dermatology })).Items;

    [Fact]
    public async Task A_reply_notifies_the_assignee_and_nobody_else()
    {
        await using var world = await WorldAsync();
        var (message, token) = await SendWithReplyAsync(world, Bob); // Bob started it, so it is assigned to him

        var result = await world.Services.GetRequiredService<IPatientReplyService>().ReplyAsync(token, Reply);
        await world.Dispatcher.DispatchDueAsync(); // the emails are outbox work

        var bobs = await NotificationsOfAsync(world, Bob);
        bobs.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Recipient = Bob,
            Kind = NotificationKind.PatientReplied,
            ConversationId = (ConversationId?)message.ConversationId,
            MessageId = result.ReplyId,
            WorkspaceId = Dermatology,
        });
        (await NotificationsOfAsync(world, Carol)).Should().BeEmpty();
        (await NotificationsOfAsync(world, Alice)).Should().BeEmpty();
        world.Email.Accepted.Should().ContainSingle().Which.To.Value.Should().Be("bob@northshire.nhs.uk");
    }

    [Fact]
    public async Task A_reply_to_a_conversation_assigned_to_a_team_notifies_each_team_member_and_nobody_else()
    {
        await using var world = await WorldAsync();
        var (message, token) = await SendWithReplyAsync(world, Alice);
        await world.Conversations.AssignAsync(Alice, message.ConversationId, Assignee.Team(Nurses));

        await world.Services.GetRequiredService<IPatientReplyService>().ReplyAsync(token, Reply);
        await world.Dispatcher.DispatchDueAsync(); // the emails are outbox work

        (await NotificationsOfAsync(world, Bob)).Should().ContainSingle();
        (await NotificationsOfAsync(world, Carol)).Should().ContainSingle();
        (await NotificationsOfAsync(world, Alice)).Should().BeEmpty("Alice sent the message but the conversation is the nurses' now");
        world.Email.Accepted.Select(e => e.To.Value).Should().BeEquivalentTo(["bob@northshire.nhs.uk", "carol@northshire.nhs.uk"]);
    }

    [Fact]
    public async Task A_team_member_who_left_the_workspace_is_not_notified()
    {
        await using var world = await WorldAsync();
        var (message, token) = await SendWithReplyAsync(world, Alice);
        await world.Conversations.AssignAsync(Alice, message.ConversationId, Assignee.Team(Nurses));
        await world.Workspaces.RemoveMemberAsync(Alice, Dermatology, Carol);

        await world.Services.GetRequiredService<IPatientReplyService>().ReplyAsync(token, Reply);
        await world.Dispatcher.DispatchDueAsync(); // the emails are outbox work

        world.Email.Accepted.Select(e => e.To.Value).Should().Equal("bob@northshire.nhs.uk");
        (await world.Store.ListNotificationsAsync(Dermatology, Carol, unreadOnly: false, after: null, limit: 10)).Should().BeEmpty();
    }

    [Fact]
    public async Task The_notification_email_carries_neither_the_reply_nor_the_patients_name_phone_or_nhs_number()
    {
        await using var world = await WorldAsync();
        var (_, token) = await SendWithReplyAsync(world, Bob);

        await world.Services.GetRequiredService<IPatientReplyService>().ReplyAsync(token, Reply);
        await world.Dispatcher.DispatchDueAsync(); // the emails are outbox work

        var email = world.Email.Accepted.Should().ContainSingle().Subject;
        var everything = $"{email.Subject}\n{email.TextBody}\n{email.HtmlBody}\n{email.ToName}";
        everything.Should().Contain("Dermatology at Northshire NHS Trust").And.Contain("Bob Brown", "it greets the staff member");
        foreach (var secret in new[] { Reply, "rash", "Jane", "Doe", "07400", "7400 123456", "447400123456", "943 476 5919", "9434765919", "jane.doe@example.com", "How is the rash" })
        {
            everything.Should().NotContain(secret);
        }
    }

    [Fact]
    public async Task A_failing_email_provider_neither_undoes_the_reply_nor_the_in_app_notification()
    {
        await using var world = await WorldAsync();
        var (message, token) = await SendWithReplyAsync(world, Bob);
        world.Email.FailPermanently("550");

        var result = await world.Services.GetRequiredService<IPatientReplyService>().ReplyAsync(token, Reply);
        await world.Dispatcher.DispatchDueAsync();

        result.Accepted.Should().BeTrue();
        world.Email.Calls.Should().Be(1, "the dispatcher tried the email, and a permanent refusal is not retried");
        (await NotificationsOfAsync(world, Bob)).Should().ContainSingle();
        (await world.Store.ListConversationMessagesAsync(message.ConversationId)).Should().Contain(m => m.Direction == MessageDirection.Inbound);
        world.Logs.AllText.Should().NotContain(Reply).And.NotContain("bob@northshire.nhs.uk");
    }

    [Fact]
    public async Task A_refused_reply_notifies_nobody()
    {
        await using var world = await WorldAsync();
        var (_, token) = await SendWithReplyAsync(world, Bob);
        var replies = world.Services.GetRequiredService<IPatientReplyService>();
        await replies.ReplyAsync(token, Reply);

        (await replies.ReplyAsync(token, "again")).Status.Should().Be(ReplyLinkStatus.AlreadyUsed);
        await world.Dispatcher.DispatchDueAsync(); // the emails are outbox work

        (await NotificationsOfAsync(world, Bob)).Should().ContainSingle();
        world.Email.Accepted.Should().ContainSingle();
    }

    [Fact]
    public async Task The_host_can_reword_the_notification_email_and_its_link_points_at_the_staff_app()
    {
        await using var world = await WorldAsync(services => services.Configure<SystemEmailOptions>(o =>
        {
            o.StaffAppUrl = new Uri("https://ehr.example.nhs.uk/inbox");
            o.PatientReplyNotification = new SystemEmailTemplate("Reply waiting ({{workspace.name}})", "Hi {{recipient.name}}, see {{link}}");
        }));
        var (_, token) = await SendWithReplyAsync(world, Bob);

        await world.Services.GetRequiredService<IPatientReplyService>().ReplyAsync(token, Reply);
        await world.Dispatcher.DispatchDueAsync(); // the emails are outbox work

        var email = world.Email.Accepted.Should().ContainSingle().Subject;
        email.Subject.Should().Be("Reply waiting (Dermatology at Northshire NHS Trust)");
        email.TextBody.Should().Be("Hi Bob Brown, see https://ehr.example.nhs.uk/inbox");
        email.HtmlBody.Should().BeNull();
    }

    [Theory]
    [InlineData("Reply from {{patient.firstName}}")]
    [InlineData("NHS {{patient.nhsNumber}}")]
    [InlineData("Unclosed {{workspace.name")]
    public async Task A_system_email_that_would_carry_patient_data_or_does_not_parse_fails_at_start_up(string subject)
    {
        await using var world = TestWorld.Empty(services => services.Configure<SystemEmailOptions>(o => o.PatientReplyNotification = new SystemEmailTemplate(subject, "Text")));

        var start = () => world.Services.GetRequiredService<IOptions<SystemEmailOptions>>().Value;

        start.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("Messaging:SystemEmails:PatientReplyNotification:Subject");
    }

    [Fact]
    public async Task Members_list_their_own_notifications_newest_first_page_by_page_and_mark_them_read()
    {
        await using var world = await WorldAsync();
        var replies = world.Services.GetRequiredService<IPatientReplyService>();
        for (var i = 0; i < 5; i++)
        {
            var (_, token) = await SendWithReplyAsync(world, Bob);
            await replies.ReplyAsync(token, $"Reply {i}");
        }

        var service = Notifications(world);
        var first = await service.ListAsync(Bob, new NotificationListRequest { WorkspaceId = Dermatology, PageSize = 2 });
        var second = await service.ListAsync(Bob, new NotificationListRequest { WorkspaceId = Dermatology, PageSize = 2, PageToken = first.NextPageToken });
        var third = await service.ListAsync(Bob, new NotificationListRequest { WorkspaceId = Dermatology, PageSize = 2, PageToken = second.NextPageToken });
        var all = first.Items.Concat(second.Items).Concat(third.Items).ToList();

        all.Should().HaveCount(5).And.OnlyHaveUniqueItems(n => n.Id);
        all.Select(n => n.CreatedAt).Should().BeInDescendingOrder();
        third.NextPageToken.Should().BeNull();
        (await service.CountUnreadAsync(Bob, Dermatology)).Should().Be(5);

        await service.MarkReadAsync(Bob, Dermatology, all[0].Id);
        await service.MarkReadAsync(Bob, Dermatology, all[0].Id); // idempotent

        (await service.CountUnreadAsync(Bob, Dermatology)).Should().Be(4);
        (await service.ListAsync(Bob, new NotificationListRequest { WorkspaceId = Dermatology, UnreadOnly = true })).Items.Should().HaveCount(4).And.NotContain(n => n.Id == all[0].Id);
        (await service.MarkAllReadAsync(Bob, Dermatology)).Should().Be(4);
        (await service.CountUnreadAsync(Bob, Dermatology)).Should().Be(0);
    }

    [Fact]
    public async Task Nobody_reads_or_marks_someone_elses_notifications_and_non_members_are_refused()
    {
        await using var world = await WorldAsync();
        var (_, token) = await SendWithReplyAsync(world, Bob);
        await world.Services.GetRequiredService<IPatientReplyService>().ReplyAsync(token, Reply);
        var bobs = (await NotificationsOfAsync(world, Bob)).Single();
        var service = Notifications(world);

        var carolMarks = () => service.MarkReadAsync(Carol, Dermatology, bobs.Id);
        var malloryLists = () => service.ListAsync(Mallory, new NotificationListRequest { WorkspaceId = Dermatology });
        var badToken = () => service.ListAsync(Bob, new NotificationListRequest { WorkspaceId = Dermatology, PageToken = "garbage" });
        var badSize = () => service.ListAsync(Bob, new NotificationListRequest { WorkspaceId = Dermatology, PageSize = 0 });

        (await carolMarks.Should().ThrowAsync<MessagingNotFoundException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.NotificationNotFound);
        (await malloryLists.Should().ThrowAsync<MessagingAuthorizationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.NotAMember);
        (await badToken.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.InvalidCursor);
        (await badSize.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.OutOfRange);
        (await service.CountUnreadAsync(Bob, Dermatology)).Should().Be(1);
    }
}
