using NodaTime;
using Xunit;

namespace Messaging.Testing.Storage;

/// <summary>
/// The inbox views (R7): every view, status filter and unread filter, paged with keysets of every size, against the
/// rule computed here from the data; unread counts; and conversations moving between views as they change.
/// </summary>
public abstract class InboxStoreTests : StoreConformanceTests
{
    private static readonly InboxView[] Views =
    [
        InboxView.AssignedTo(Alice), InboxView.AssignedTo(Bob), InboxView.AssignedTo(Nurses),
        InboxView.SentBy(Alice), InboxView.SentBy(Carol), InboxView.All,
    ];

    private readonly List<Conversation> _conversations = [];
    private readonly Dictionary<ConversationId, ReadPosition> _alicesReads = [];

    /// <summary>Every view × status × unread filter, paged 1, 3, 7 and 50 at a time, gives exactly the expected rows in order.</summary>
    [StoreFact]
    public async Task Every_view_and_filter_pages_through_exactly_the_matching_conversations_newest_first()
    {
        await SeedInboxAsync();
        foreach (var view in Views)
        {
            foreach (var status in new[] { ConversationStatusFilter.Any, ConversationStatusFilter.Open, ConversationStatusFilter.Done })
            {
                foreach (var unreadOnly in new[] { false, true })
                {
                    var expected = Expected(view, status, unreadOnly);
                    foreach (var pageSize in new[] { 1, 3, 7, 50 })
                    {
                        var what = $"{view} {status} unreadOnly={unreadOnly} pageSize={pageSize}";
                        var pages = await PageThroughAsync(new InboxQuery { WorkspaceId = Ws, View = view, Reader = Alice, Status = status, UnreadOnly = unreadOnly, PageSize = pageSize });
                        var items = pages.SelectMany(p => p.Items).ToList();
                        Assert.True(expected.Select(c => c.Id).SequenceEqual(items.Select(i => i.Conversation.Id)), $"{what}: wrong rows or order");
                        Assert.True(items.All(i => i.IsUnread == IsUnreadByAlice(i.Conversation)), $"{what}: wrong unread flag");
                        Assert.True(pages.All(p => p.Items.Count <= pageSize), $"{what}: page too long");
                        Assert.True(pages.SkipLast(1).All(p => p.Items.Count == pageSize && p.NextCursor is not null), $"{what}: short page before the last");
                        Assert.True(pages[^1].NextCursor is null, $"{what}: a cursor after the last page");
                    }
                }
            }
        }
    }

    /// <summary>Conversations with the same last activity are ordered by id, descending, and pages never skip or repeat one.</summary>
    [StoreFact]
    public async Task Ties_in_last_activity_are_broken_by_id_descending_across_pages()
    {
        await SeedAsync();
        var same = T0 + Duration.FromHours(1);
        var tied = Enumerable.Range(0, 9).Select(_ => NewConversation(Alice, at: same)).ToList();
        await WriteAsync(work => tied.ForEach(work.AddConversation));

        var pages = await PageThroughAsync(new InboxQuery { WorkspaceId = Ws, View = InboxView.AssignedTo(Alice), Reader = Alice, PageSize = 2 });

        Assert.Equal(tied.OrderByDescending(c => c.Id.Value).Select(c => c.Id), pages.SelectMany(p => p.Items).Select(i => i.Conversation.Id));
    }

    /// <summary>Unread counts per view follow the reader's read positions: marked unread, behind the activity, or never read.</summary>
    [StoreFact]
    public async Task Unread_counts_follow_each_readers_read_positions()
    {
        await SeedInboxAsync();
        foreach (var view in Views)
        {
            Assert.Equal(Expected(view, ConversationStatusFilter.Any, unreadOnly: true).Count, await Store.CountUnreadAsync(Ws, view, Alice));
        }

        // Bob has read everything; Carol has no read positions, so everything with activity is unread for her.
        Assert.Equal(0, await Store.CountUnreadAsync(Ws, InboxView.All, Bob));
        Assert.Equal(_conversations.Count(c => c.WorkspaceId == Ws && c.ActivitySequence > 0), await Store.CountUnreadAsync(Ws, InboxView.All, Carol));
        Assert.Equal(0, await Store.CountUnreadAsync(new WorkspaceId("nowhere"), InboxView.All, Alice));
    }

    /// <summary>Reassigning, finishing and new activity move a conversation between views and to the top of them.</summary>
    [StoreFact]
    public async Task A_conversation_moves_between_views_as_it_is_reassigned_finished_and_active()
    {
        await SeedAsync();
        var older = NewConversation(Alice, at: T0);
        var conversation = NewConversation(Alice, at: T0 + Duration.FromMinutes(1));
        await WriteAsync(work =>
        {
            work.AddConversation(older);
            work.AddConversation(conversation);
        });

        var toTeam = conversation with { Assignee = Assignee.Team(Nurses), Version = 2 };
        await WriteAsync(work => work.UpdateConversation(toTeam, 1));
        Assert.Equal([older.Id], await IdsAsync(InboxView.AssignedTo(Alice)));
        Assert.Equal([conversation.Id], await IdsAsync(InboxView.AssignedTo(Nurses)));

        var done = toTeam with { Status = ConversationStatus.Done, Version = 3 };
        await WriteAsync(work => work.UpdateConversation(done, 2));
        Assert.Empty(await IdsAsync(InboxView.AssignedTo(Nurses), ConversationStatusFilter.Open));
        Assert.Equal([conversation.Id], await IdsAsync(InboxView.AssignedTo(Nurses), ConversationStatusFilter.Done));
        Assert.Equal([conversation.Id], await IdsAsync(InboxView.SentBy(Alice), ConversationStatusFilter.Done));

        // Carol sends in the older conversation: it joins her "sent by" view and moves to the top of "all".
        var active = WithActivity(older, T0 + Duration.FromMinutes(9), Carol);
        await WriteAsync(work => work.UpdateConversation(active, 1));
        Assert.Equal([older.Id], await IdsAsync(InboxView.SentBy(Carol)));
        Assert.Equal([older.Id, conversation.Id], await IdsAsync(InboxView.All));
    }

    /// <summary>Marking read and unread changes the unread filter and count for that reader only.</summary>
    [StoreFact]
    public async Task Marking_read_and_unread_changes_only_that_readers_view()
    {
        await SeedAsync();
        var conversation = WithActivity(NewConversation(Alice), T0 + Duration.FromMinutes(1));
        await WriteAsync(work => work.AddConversation(conversation));
        Assert.Equal(1, await Store.CountUnreadAsync(Ws, InboxView.All, Alice));

        await WriteAsync(work => work.SetReadPosition(new ReadPosition(conversation.Id, Alice, conversation.ActivitySequence, false)));
        Assert.Equal(0, await Store.CountUnreadAsync(Ws, InboxView.All, Alice));
        Assert.Empty(await IdsAsync(InboxView.All, unreadOnly: true));
        Assert.Equal(1, await Store.CountUnreadAsync(Ws, InboxView.All, Bob));

        await WriteAsync(work => work.SetReadPosition(new ReadPosition(conversation.Id, Alice, conversation.ActivitySequence, true)));
        Assert.Equal([conversation.Id], await IdsAsync(InboxView.All, unreadOnly: true));
    }

    /// <summary>A cursor older than every conversation gives an empty last page without a next cursor.</summary>
    [StoreFact]
    public async Task A_cursor_past_the_oldest_conversation_gives_an_empty_last_page()
    {
        await SeedAsync();
        await WriteAsync(work => work.AddConversation(NewConversation(Alice, at: T0)));

        var page = await Store.QueryInboxAsync(new InboxQuery
        {
            WorkspaceId = Ws, View = InboxView.All, Reader = Alice, PageSize = 10, After = new InboxCursor(T0 - Duration.FromDays(1), ConversationId.New()),
        });

        Assert.Empty(page.Items);
        Assert.Null(page.NextCursor);
    }

    /// <summary>
    /// 60 conversations in the workspace (and 5 in another): assigned to Alice, Bob or the nurses, with Bob and Carol
    /// sending in some, a third done, activity times with deliberate ties, and Alice's read positions of every kind.
    /// </summary>
    private async Task SeedInboxAsync()
    {
        await SeedAsync();
        var random = new Random(7);
        StaffId[] starters = [Alice, Bob, Carol];
        for (var i = 0; i < 65; i++)
        {
            var workspace = i < 60 ? Ws : OtherWs;
            var conversation = NewConversation(starters[i % 3], workspace, T0 + Duration.FromMinutes(i / 4)); // four per minute: ties
            conversation = conversation with
            {
                Assignee = (i % 5) switch { 0 or 1 => Assignee.Staff(Alice), 2 => Assignee.Staff(Bob), _ => Assignee.Team(Nurses) },
                Status = i % 3 == 1 ? ConversationStatus.Done : ConversationStatus.Open,
                ActivitySequence = i % 7 == 0 ? 0 : random.Next(1, 5),
                Participants = (i % 4) switch { 0 => [conversation.StartedBy], 1 => [conversation.StartedBy, Bob], 2 => [conversation.StartedBy, Carol], _ => [conversation.StartedBy, Alice] },
            };
            conversation = conversation with { Participants = [.. conversation.Participants.Distinct()] };
            _conversations.Add(conversation);
            switch (i % 6)
            {
                case 0: break; // never read
                case 1: _alicesReads[conversation.Id] = new ReadPosition(conversation.Id, Alice, conversation.ActivitySequence, false); break; // read
                case 2: _alicesReads[conversation.Id] = new ReadPosition(conversation.Id, Alice, Math.Max(0, conversation.ActivitySequence - 1), false); break; // behind
                case 3: _alicesReads[conversation.Id] = new ReadPosition(conversation.Id, Alice, conversation.ActivitySequence, true); break; // marked unread
                default: _alicesReads[conversation.Id] = new ReadPosition(conversation.Id, Alice, conversation.ActivitySequence + 1, false); break; // ahead
            }
        }

        await WriteAsync(work =>
        {
            _conversations.ForEach(work.AddConversation);
            foreach (var read in _alicesReads.Values)
            {
                work.SetReadPosition(read);
            }

            // Bob has read everything: his read positions must not change Alice's unread state.
            foreach (var c in _conversations)
            {
                work.SetReadPosition(new ReadPosition(c.Id, Bob, c.ActivitySequence, false));
            }
        });
    }

    private bool IsUnreadByAlice(Conversation conversation)
        => _alicesReads.TryGetValue(conversation.Id, out var read)
            ? read.MarkedUnread || read.ReadUpTo < conversation.ActivitySequence
            : conversation.ActivitySequence > 0;

    private List<Conversation> Expected(InboxView view, ConversationStatusFilter status, bool unreadOnly) =>
    [
        .. _conversations
            .Where(c => c.WorkspaceId == Ws && view.Matches(c))
            .Where(c => status == ConversationStatusFilter.Any || (status == ConversationStatusFilter.Open) == (c.Status == ConversationStatus.Open))
            .Where(c => !unreadOnly || IsUnreadByAlice(c))
            .OrderByDescending(c => c.LastActivityAt).ThenByDescending(c => c.Id.Value),
    ];

    private async Task<List<InboxPage>> PageThroughAsync(InboxQuery first)
    {
        var pages = new List<InboxPage>();
        var query = first;
        while (true)
        {
            var page = await Store.QueryInboxAsync(query);
            pages.Add(page);
            if (page.NextCursor is not { } next || pages.Count > 200)
            {
                return pages;
            }

            query = query with { After = next };
        }
    }

    private async Task<List<ConversationId>> IdsAsync(InboxView view, ConversationStatusFilter status = ConversationStatusFilter.Any, bool unreadOnly = false)
        => [.. (await Store.QueryInboxAsync(new InboxQuery { WorkspaceId = Ws, View = view, Reader = Alice, Status = status, UnreadOnly = unreadOnly, PageSize = 100 }))
            .Items.Select(i => i.Conversation.Id)];
}
