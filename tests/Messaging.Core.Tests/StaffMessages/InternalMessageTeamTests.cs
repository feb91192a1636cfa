using Messaging.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.StaffMessages;

/// <summary>Issue 24, "Message to Admin": an internal message to a team of the workspace reaches each current member.</summary>
public sealed class InternalMessageTeamTests
{
    private static IInternalMessageService Service(TestWorld world) => world.Services.GetRequiredService<IInternalMessageService>();

    private static INotificationService Notifications(TestWorld world) => world.Services.GetRequiredService<INotificationService>();

    private static SendInternalMessageRequest ToTeams(WorkspaceId workspace, params TeamId[] teams) => new()
    {
        WorkspaceId = workspace, Recipients = [], Teams = teams, Subject = "Rota", Body = "Can someone cover Friday's clinic?",
    };

    private static async Task<int> UnreadAsync(TestWorld world, StaffId staff) => await Notifications(world).CountUnreadAsync(staff, Dermatology);

    /// <summary>Nothing of a refused send was written: no thread, no notification, no email queued.</summary>
    private static async Task NothingWrittenAsync(TestWorld world)
    {
        (await Service(world).ListThreadsAsync(Alice, Dermatology)).Should().BeEmpty();
        (await UnreadAsync(world, Bob)).Should().Be(0);
        (await UnreadAsync(world, Carol)).Should().Be(0);
        (await world.Dispatcher.DispatchDueAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Each_current_member_of_the_team_is_notified_and_any_of_them_can_reply_in_the_thread()
    {
        await using var world = await CreateAsync();

        var sent = await Service(world).SendAsync(Alice, ToTeams(Dermatology, Nurses));
        await world.Dispatcher.DispatchDueAsync();
        var reply = await Service(world).ReplyAsync(Carol, sent.Thread.Id, "I can.");
        await world.Dispatcher.DispatchDueAsync();

        sent.Thread.Participants.Should().BeEquivalentTo([Alice, Bob, Carol]);
        world.Email.Accepted.Select(e => e.To.Value).Should().BeEquivalentTo(
            ["bob@northshire.nhs.uk", "carol@northshire.nhs.uk", "alice@northshire.nhs.uk", "bob@northshire.nhs.uk"], "the send reached both nurses, Carol's reply Alice and Bob");
        (await UnreadAsync(world, Bob)).Should().Be(2);
        (await UnreadAsync(world, Alice)).Should().Be(1);
        (await Service(world).GetThreadAsync(Bob, sent.Thread.Id)).Messages.Select(m => m.SentBy).Should().Equal(Alice, Carol);
        reply.ThreadId.Should().Be(sent.Thread.Id);
    }

    [Fact]
    public async Task A_member_named_and_in_the_team_is_notified_once_and_the_sender_in_the_team_not_at_all()
    {
        await using var world = await CreateAsync();
        await world.Workspaces.CreateTeamAsync(Alice, Dermatology, new TeamId("admin"), "Admin", [Alice, Bob]);

        var sent = await Service(world).SendAsync(Alice, ToTeams(Dermatology, new TeamId("admin"), Nurses) with { Recipients = [Bob] });

        sent.Thread.Participants.Should().BeEquivalentTo([Alice, Bob, Carol]);
        (await UnreadAsync(world, Bob)).Should().Be(1);
        (await UnreadAsync(world, Alice)).Should().Be(0);
    }

    [Fact]
    public async Task A_team_recipient_outside_the_workspace_is_refused_and_nothing_is_written()
    {
        await using var world = await CreateAsync();

        var outside = async () => await Service(world).SendAsync(Alice, ToTeams(TrustDefault, Nurses));
        var unknown = async () => await Service(world).SendAsync(Alice, ToTeams(Dermatology, new TeamId("nobody")));

        (await outside.Should().ThrowAsync<MessagingNotFoundException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.TeamNotFound);
        (await unknown.Should().ThrowAsync<MessagingNotFoundException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.TeamNotFound);
        (await Service(world).ListThreadsAsync(Alice, TrustDefault)).Should().BeEmpty();
        await NothingWrittenAsync(world);
    }

    [Fact]
    public async Task A_team_with_nobody_but_the_sender_or_whose_members_left_is_refused_as_empty()
    {
        await using var world = await CreateAsync();
        await world.Workspaces.CreateTeamAsync(Alice, Dermatology, new TeamId("just-alice"), "Just Alice", [Alice]);
        await world.Workspaces.RemoveMemberAsync(Alice, Dermatology, Carol);
        await world.Workspaces.CreateTeamAsync(Alice, Dermatology, new TeamId("bob-only"), "Bob", [Bob]);
        await world.Workspaces.RemoveMemberAsync(Alice, Dermatology, Bob);

        var onlySender = async () => await Service(world).SendAsync(Alice, ToTeams(Dermatology, new TeamId("just-alice")));
        var nursesGone = async () => await Service(world).SendAsync(Alice, ToTeams(Dermatology, Nurses));

        (await onlySender.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.TeamEmpty);
        (await nursesGone.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.TeamEmpty);
        (await Service(world).ListThreadsAsync(Alice, Dermatology)).Should().BeEmpty();
        (await world.Dispatcher.DispatchDueAsync()).Should().Be(0);
    }

    [Fact]
    public async Task No_recipient_at_all_or_too_many_teams_is_refused()
    {
        await using var world = await CreateAsync();

        var nobody = async () => await Service(world).SendAsync(Alice, ToTeams(Dermatology));
        var sixTeams = async () => await Service(world).SendAsync(Alice, ToTeams(Dermatology, [.. Enumerable.Range(0, 6).Select(i => new TeamId($"t{i}"))]));

        (await nobody.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.OutOfRange);
        (await sixTeams.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.OutOfRange);
        await NothingWrittenAsync(world);
    }

    [Fact]
    public async Task A_non_member_cannot_message_a_team()
    {
        await using var world = await CreateAsync();

        var mallory = async () => await Service(world).SendAsync(Mallory, ToTeams(Dermatology, Nurses));

        await mallory.Should().ThrowAsync<MessagingAuthorizationException>();
        await NothingWrittenAsync(world);
    }
}
