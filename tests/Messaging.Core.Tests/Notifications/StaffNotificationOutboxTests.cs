using System.Text.RegularExpressions;
using Messaging.Outbox;
using Messaging.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Notifications;

/// <summary>
/// Issue 16: staff notification emails are outbox work. The reply (or internal message) and each email's outbox entry
/// commit together; the call returns without touching the email provider; the dispatcher sends the emails with retries,
/// backoff and MaxAttempts, each on its own.
/// </summary>
public sealed partial class StaffNotificationOutboxTests
{
    private const string Reply = "The rash on my left arm is worse since Tuesday";

    [GeneratedRegex(@"https://ehr\.example\.nhs\.uk/m/r/([A-Za-z0-9_-]{22})")]
    private static partial Regex LinkPattern();

    private static async Task<(TestWorld World, string Token)> RepliableAsync(bool toTeam = false)
    {
        var world = await CreateAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 100, "INV-1");
        var message = await world.Messages.SendAsync(Alice, new SendMessageRequest
        {
            WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = "How is the rash?", AllowReply = true,
        });
        await world.Dispatcher.DispatchDueAsync();
        if (toTeam)
        {
            await world.Conversations.AssignAsync(Alice, message.ConversationId, Assignee.Team(Nurses));
        }

        return (world, LinkPattern().Match(world.Sms.Accepted[^1].Body).Groups[1].Value);
    }

    private static IPatientReplyService Replies(TestWorld world) => world.Services.GetRequiredService<IPatientReplyService>();

    [Fact]
    public async Task A_reply_returns_without_calling_the_email_provider_and_the_dispatcher_sends_the_email()
    {
        var (world, token) = await RepliableAsync();
        await using var _ = world;

        var result = await Replies(world).ReplyAsync(token, Reply);

        result.Accepted.Should().BeTrue();
        world.Email.Calls.Should().Be(0, "the patient does not wait for staff emails");
        (await world.Dispatcher.DispatchDueAsync()).Should().Be(1, "the email was queued with the reply");
        world.Email.Accepted.Should().ContainSingle().Which.To.Value.Should().Be("alice@northshire.nhs.uk");
        (await world.Dispatcher.DispatchDueAsync()).Should().Be(0, "sent once");
    }

    [Fact]
    public async Task An_internal_message_and_its_reply_return_without_calling_the_email_provider()
    {
        await using var world = await CreateAsync();
        var service = world.Services.GetRequiredService<IInternalMessageService>();

        var sent = await service.SendAsync(Alice, new SendInternalMessageRequest { WorkspaceId = Dermatology, Recipients = [Bob, Carol], Body = "Clinic moved to room 4." });
        var callsAfterSend = world.Email.Calls;
        await world.Dispatcher.DispatchDueAsync();
        await service.ReplyAsync(Bob, sent.Thread.Id, "Thanks.");
        var callsAfterReply = world.Email.Calls;
        await world.Dispatcher.DispatchDueAsync();

        callsAfterSend.Should().Be(0);
        callsAfterReply.Should().Be(2);
        world.Email.Accepted.Select(e => e.To.Value).Should().BeEquivalentTo(["bob@northshire.nhs.uk", "carol@northshire.nhs.uk", "alice@northshire.nhs.uk", "carol@northshire.nhs.uk"]);
    }

    [Fact]
    public async Task A_failing_email_provider_is_retried_with_backoff_and_does_not_affect_the_reply()
    {
        var (world, token) = await RepliableAsync();
        await using var _ = world;
        world.Email.FailTransiently(times: 2);

        var result = await Replies(world).ReplyAsync(token, Reply);
        await world.Dispatcher.DispatchDueAsync();
        var afterFirst = world.Email.Calls;
        (await world.Dispatcher.DispatchDueAsync()).Should().Be(0, "the retry waits for its backoff");
        world.Clock.Advance(Duration.FromMinutes(30));
        await world.Dispatcher.DispatchDueAsync();
        world.Clock.Advance(Duration.FromMinutes(30));
        await world.Dispatcher.DispatchDueAsync();

        result.Accepted.Should().BeTrue();
        afterFirst.Should().Be(1);
        world.Email.Calls.Should().Be(3);
        world.Email.Accepted.Should().ContainSingle().Which.To.Value.Should().Be("alice@northshire.nhs.uk");
        (await world.Store.ListNotificationsAsync(Dermatology, Alice, unreadOnly: true, after: null, limit: 10)).Should().ContainSingle();
        world.Logs.AllText.Should().NotContain(Reply).And.NotContain("alice@northshire.nhs.uk").And.NotContain("Jane");
    }

    [Fact]
    public async Task An_email_that_keeps_failing_stops_after_MaxAttempts()
    {
        var (world, token) = await RepliableAsync();
        await using var _ = world;
        var maxAttempts = world.Services.GetRequiredService<IOptions<OutboxOptions>>().Value.MaxAttempts;
        world.Email.FailTransiently(times: maxAttempts + 5);

        await Replies(world).ReplyAsync(token, Reply);
        for (var round = 0; round < maxAttempts + 5; round++)
        {
            await world.Dispatcher.DispatchDueAsync();
            world.Clock.Advance(Duration.FromHours(6));
        }

        world.Email.Calls.Should().Be(maxAttempts);
        world.Email.Accepted.Should().BeEmpty();
        world.Logs.AllText.Should().Contain("could not be emailed");
    }

    [Fact]
    public async Task One_team_members_failing_email_does_not_hold_back_the_others()
    {
        var (world, token) = await RepliableAsync(toTeam: true);
        await using var _ = world;
        world.Email.FailPermanently("550");

        await Replies(world).ReplyAsync(token, Reply);
        await world.Dispatcher.DispatchDueAsync();

        world.Email.Calls.Should().Be(2);
        world.Email.Accepted.Should().ContainSingle("one was refused, the other sent");
        world.Clock.Advance(Duration.FromHours(6));
        (await world.Dispatcher.DispatchDueAsync()).Should().Be(0, "a permanent refusal is not retried");
    }

    [Fact]
    public async Task A_member_who_left_before_the_email_was_sent_gets_no_email()
    {
        var (world, token) = await RepliableAsync(toTeam: true);
        await using var _ = world;

        await Replies(world).ReplyAsync(token, Reply);
        await world.Workspaces.RemoveMemberAsync(Alice, Dermatology, Carol);
        await world.Dispatcher.DispatchDueAsync();

        world.Email.Accepted.Select(e => e.To.Value).Should().Equal("bob@northshire.nhs.uk");
    }
}
