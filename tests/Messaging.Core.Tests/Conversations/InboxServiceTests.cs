using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Conversations;

public sealed class InboxServiceTests
{
    private static InboxRequest Request(InboxView view, ConversationStatusFilter status = ConversationStatusFilter.Any, bool unreadOnly = false, int? pageSize = null, string? token = null)
        => new() { WorkspaceId = Dermatology, View = view, Status = status, UnreadOnly = unreadOnly, PageSize = pageSize, PageToken = token };

    [Fact]
    public async Task Assigned_to_me_lists_my_conversations_newest_activity_first()
    {
        await using var world = await CreateAsync();
        var first = await world.Conversations.StartAsync(Bob, Dermatology, Jane);
        var second = await world.Conversations.StartAsync(Bob, Dermatology, Jane);
        await world.Conversations.StartAsync(Carol, Dermatology, Jane);
        await world.RecordActivityAsync(first.Id); // first now has the newest activity

        var page = await world.Inbox.GetPageAsync(Bob, Request(InboxView.AssignedTo(Bob)));

        page.Items.Select(i => i.Conversation.Id).Should().Equal(first.Id, second.Id);
        page.NextPageToken.Should().BeNull();
    }

    [Fact]
    public async Task Sent_by_me_includes_conversations_I_sent_in_even_when_assigned_elsewhere()
    {
        await using var world = await CreateAsync();
        var carols = await world.Conversations.StartAsync(Carol, Dermatology, Jane);
        await world.RecordActivityAsync(carols.Id, sender: Bob);
        await world.Conversations.AssignAsync(Carol, carols.Id, Assignee.Team(Nurses));

        var sentByBob = await world.Inbox.GetPageAsync(Bob, Request(InboxView.SentBy(Bob)));
        var team = await world.Inbox.GetPageAsync(Bob, Request(InboxView.AssignedTo(Nurses)));
        var assignedToCarol = await world.Inbox.GetPageAsync(Bob, Request(InboxView.AssignedTo(Carol)));

        sentByBob.Items.Should().ContainSingle(i => i.Conversation.Id == carols.Id);
        team.Items.Should().ContainSingle(i => i.Conversation.Id == carols.Id);
        assignedToCarol.Items.Should().BeEmpty();
    }

    [Fact]
    public async Task Open_and_done_filters_split_the_view()
    {
        await using var world = await CreateAsync();
        var open = await world.Conversations.StartAsync(Bob, Dermatology, Jane);
        var done = await world.Conversations.StartAsync(Bob, Dermatology, Jane);
        await world.Conversations.SetStatusAsync(Bob, done.Id, ConversationStatus.Done);

        var openPage = await world.Inbox.GetPageAsync(Bob, Request(InboxView.AssignedTo(Bob), ConversationStatusFilter.Open));
        var donePage = await world.Inbox.GetPageAsync(Bob, Request(InboxView.AssignedTo(Bob), ConversationStatusFilter.Done));

        openPage.Items.Select(i => i.Conversation.Id).Should().Equal(open.Id);
        donePage.Items.Select(i => i.Conversation.Id).Should().Equal(done.Id);
    }

    [Fact]
    public async Task Unread_is_per_member_and_follows_each_members_read_position()
    {
        await using var world = await CreateAsync();
        var conversation = await world.Conversations.StartAsync(Bob, Dermatology, Jane);
        await world.Conversations.AssignAsync(Bob, conversation.Id, Assignee.Team(Nurses));
        (await world.Inbox.GetUnreadCountsAsync(Bob, Dermatology)).AssignedToMyTeams[Nurses].Should().Be(0);

        await world.RecordActivityAsync(conversation.Id); // e.g. the patient replied

        (await world.Inbox.GetUnreadCountsAsync(Bob, Dermatology)).AssignedToMyTeams[Nurses].Should().Be(1);
        (await world.Inbox.GetUnreadCountsAsync(Carol, Dermatology)).AssignedToMyTeams[Nurses].Should().Be(1);

        await world.Conversations.MarkReadAsync(Carol, conversation.Id);

        (await world.Inbox.GetUnreadCountsAsync(Carol, Dermatology)).AssignedToMyTeams[Nurses].Should().Be(0);
        (await world.Inbox.GetUnreadCountsAsync(Bob, Dermatology)).AssignedToMyTeams[Nurses].Should().Be(1);
        var bobsView = await world.Inbox.GetPageAsync(Bob, Request(InboxView.AssignedTo(Nurses), unreadOnly: true));
        var carolsView = await world.Inbox.GetPageAsync(Carol, Request(InboxView.AssignedTo(Nurses), unreadOnly: true));
        bobsView.Items.Should().ContainSingle().Which.IsUnread.Should().BeTrue();
        carolsView.Items.Should().BeEmpty();
    }

    [Fact]
    public async Task A_member_can_mark_a_read_conversation_unread_for_themselves_only()
    {
        await using var world = await CreateAsync();
        var conversation = await world.Conversations.StartAsync(Bob, Dermatology, Jane);
        (await world.Inbox.GetUnreadCountsAsync(Bob, Dermatology)).AssignedToMe.Should().Be(0);

        await world.Conversations.MarkUnreadAsync(Bob, conversation.Id);

        var counts = await world.Inbox.GetUnreadCountsAsync(Bob, Dermatology);
        counts.AssignedToMe.Should().Be(1);
        counts.SentByMe.Should().Be(1);
        (await world.Inbox.GetPageAsync(Bob, Request(InboxView.AssignedTo(Bob)))).Items.Single().IsUnread.Should().BeTrue();
        (await world.Inbox.GetPageAsync(Carol, Request(InboxView.AssignedTo(Bob)))).Items.Single().IsUnread.Should().BeFalse();

        await world.Conversations.MarkReadAsync(Bob, conversation.Id);
        (await world.Inbox.GetUnreadCountsAsync(Bob, Dermatology)).AssignedToMe.Should().Be(0);
    }

    [Fact]
    public async Task Pages_follow_each_other_without_gaps_or_repeats()
    {
        await using var world = await CreateAsync();
        var started = new List<ConversationId>();
        for (var i = 0; i < 7; i++)
        {
            started.Add((await world.Conversations.StartAsync(Bob, Dermatology, Jane)).Id);
        }

        var seen = new List<ConversationId>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await world.Inbox.GetPageAsync(Bob, Request(InboxView.AssignedTo(Bob), pageSize: 3, token: token));
            seen.AddRange(page.Items.Select(i => i.Conversation.Id));
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null);

        pages.Should().Be(3);
        seen.Should().Equal(Enumerable.Reverse(started));
    }

    [Fact]
    public async Task A_page_token_from_another_view_is_refused()
    {
        await using var world = await CreateAsync();
        for (var i = 0; i < 3; i++)
        {
            await world.Conversations.StartAsync(Bob, Dermatology, Jane);
        }

        var page = await world.Inbox.GetPageAsync(Bob, Request(InboxView.AssignedTo(Bob), pageSize: 1));
        var replayed = () => world.Inbox.GetPageAsync(Bob, Request(InboxView.SentBy(Bob), pageSize: 1, token: page.NextPageToken));
        var garbage = () => world.Inbox.GetPageAsync(Bob, Request(InboxView.AssignedTo(Bob), token: "not-a-token"));

        (await replayed.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.InvalidCursor);
        (await garbage.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.InvalidCursor);
    }

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    [InlineData(-62_135_596_800L * 10_000_000 - 1)] // a tick before year 1
    public async Task A_crafted_page_token_is_an_invalid_cursor_not_a_crash(long unixTicks)
    {
        await using var world = await CreateAsync();
        var request = Request(InboxView.AssignedTo(Bob));

        // Built the way an attacker who read the source would: the right layout and the query's unkeyed fingerprint.
        var crafted = () => world.Inbox.GetPageAsync(Bob, request with { PageToken = CraftedToken(unixTicks, Guid.NewGuid(), $"{Dermatology.Value}\n{request.View}\n{request.Status}\n{request.UnreadOnly}") });

        (await crafted.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.InvalidCursor);
    }

    [Fact]
    public async Task A_page_token_with_a_changed_position_is_refused()
    {
        await using var world = await CreateAsync();
        for (var i = 0; i < 3; i++)
        {
            await world.Conversations.StartAsync(Bob, Dermatology, Jane);
        }

        var token = (await world.Inbox.GetPageAsync(Bob, Request(InboxView.AssignedTo(Bob), pageSize: 1))).NextPageToken!;
        var bytes = Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (token.Length % 4)) % 4));
        bytes[5] ^= 0x01; // a different instant: the page would silently start elsewhere
        var tampered = Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        var act = () => world.Inbox.GetPageAsync(Bob, Request(InboxView.AssignedTo(Bob), pageSize: 1, token: tampered));

        (await act.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.InvalidCursor);
    }

    private static string CraftedToken(long unixTicks, Guid id, string shape)
    {
        var bytes = new byte[33];
        bytes[0] = 1;
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), unixTicks);
        id.TryWriteBytes(bytes.AsSpan(9, 16));
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(shape));
        hash.AsSpan(0, 8).CopyTo(bytes.AsSpan(25));
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public async Task A_page_size_outside_the_configured_range_is_refused(int pageSize)
    {
        await using var world = await CreateAsync();

        var act = () => world.Inbox.GetPageAsync(Bob, Request(InboxView.AssignedTo(Bob), pageSize: pageSize));

        (await act.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.OutOfRange);
    }

    [Fact]
    public async Task Without_a_shared_inbox_only_my_own_views_and_my_teams_are_readable()
    {
        await using var world = await CreateAsync(dermatologyHasSharedInbox: false);
        await world.Conversations.StartAsync(Carol, Dermatology, Jane);

        var colleague = () => world.Inbox.GetPageAsync(Bob, Request(InboxView.AssignedTo(Carol)));
        var colleagueSent = () => world.Inbox.GetPageAsync(Bob, Request(InboxView.SentBy(Carol)));
        var everything = () => world.Inbox.GetPageAsync(Bob, Request(InboxView.All));
        var otherTeam = async () =>
        {
            await world.Workspaces.CreateTeamAsync(Alice, Dermatology, new TeamId("admins"), "Admins", [Alice]);
            return await world.Inbox.GetPageAsync(Bob, Request(InboxView.AssignedTo(new TeamId("admins"))));
        };

        (await colleague.Should().ThrowAsync<MessagingAuthorizationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.SharedInboxRequired);
        (await colleagueSent.Should().ThrowAsync<MessagingAuthorizationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.SharedInboxRequired);
        (await everything.Should().ThrowAsync<MessagingAuthorizationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.SharedInboxRequired);
        (await otherTeam.Should().ThrowAsync<MessagingAuthorizationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.SharedInboxRequired);
        (await world.Inbox.GetPageAsync(Bob, Request(InboxView.AssignedTo(Bob)))).Items.Should().BeEmpty();
        (await world.Inbox.GetPageAsync(Bob, Request(InboxView.AssignedTo(Nurses)))).Items.Should().BeEmpty();
    }

    [Fact]
    public async Task With_a_shared_inbox_a_member_reads_a_colleagues_view()
    {
        await using var world = await CreateAsync();
        var carols = await world.Conversations.StartAsync(Carol, Dermatology, Jane);

        var page = await world.Inbox.GetPageAsync(Bob, Request(InboxView.AssignedTo(Carol)));

        page.Items.Select(i => i.Conversation.Id).Should().Equal(carols.Id);
    }
}
