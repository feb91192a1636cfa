using NodaTime;
using Xunit;

namespace Messaging.Testing.Storage;

/// <summary>Direct Messages (R18): lookup by current link hash, unique hashes, version-checked updates.</summary>
public abstract class DirectMessageStoreTests : StoreConformanceTests
{
    /// <summary>A Direct Message reads back whole, by id and by its current link hash only.</summary>
    [StoreFact]
    public async Task A_direct_message_reads_back_by_id_and_by_its_current_link_hash()
    {
        var dm = DirectMessage("link-1");
        await WriteAsync(work => work.AddDirectMessage(dm));
        AssertSame(dm, await Store.GetDirectMessageAsync(dm.Id));
        AssertSame(dm, await Store.FindDirectMessageByLinkTokenHashAsync("link-1"));

        var relinked = dm with { LinkTokenHash = "link-2", FailedAttempts = 2, LockedAt = T0 + Duration.FromMinutes(5), Version = 2 };
        await WriteAsync(work => work.UpdateDirectMessage(relinked, 1));

        AssertSame(relinked, await Store.FindDirectMessageByLinkTokenHashAsync("link-2"));
        Assert.Null(await Store.FindDirectMessageByLinkTokenHashAsync("link-1"));
        Assert.Null(await Store.GetDirectMessageAsync(DirectMessageId.New()));
    }

    /// <summary>Link hashes are unique among Direct Messages; many may have none.</summary>
    [StoreFact]
    public async Task Link_hashes_are_unique_and_may_be_absent()
    {
        var first = DirectMessage("link-1");
        var second = DirectMessage(null);
        await WriteAsync(work =>
        {
            work.AddDirectMessage(first);
            work.AddDirectMessage(second);
            work.AddDirectMessage(DirectMessage(null));
        });

        await CommitFailsAsync<MessagingConflictException>(work => work.AddDirectMessage(DirectMessage("link-1")), MessagingErrorCodes.AlreadyExists);
        await CommitFailsAsync<MessagingConflictException>(work => work.UpdateDirectMessage(second with { LinkTokenHash = "link-1", Version = 2 }, 1), MessagingErrorCodes.AlreadyExists);
        await CommitFailsAsync<MessagingConflictException>(work => work.AddDirectMessage(first with { LinkTokenHash = "other" }), MessagingErrorCodes.AlreadyExists);
        Assert.Null((await Store.GetDirectMessageAsync(second.Id))!.LinkTokenHash);
    }

    /// <summary>Updates are version-checked: two wrong codes counted on the same version cannot both be recorded.</summary>
    [StoreFact]
    public async Task Updates_are_version_checked_and_a_missing_one_is_not_found()
    {
        var dm = DirectMessage("link-1");
        await WriteAsync(work => work.AddDirectMessage(dm));

        var errors = await RaceAsync(6, i => WriteAsync(work => work.UpdateDirectMessage(dm with { FailedAttempts = 1, UpdatedAt = T0 + Duration.FromSeconds(i), Version = 2 }, 1)));

        Assert.Single(errors, e => e is null);
        Assert.All(errors.OfType<MessagingException>(), e => Assert.Equal(MessagingErrorCodes.ConcurrencyConflict, e.ErrorCode));
        Assert.Equal(2, (await Store.GetDirectMessageAsync(dm.Id))!.Version);
        await CommitFailsAsync<MessagingNotFoundException>(work => work.UpdateDirectMessage(DirectMessage(null) with { Version = 2 }, 1), MessagingErrorCodes.DirectMessageNotFound);
    }

    private static DirectMessage DirectMessage(string? linkHash) => new()
    {
        Id = DirectMessageId.New(),
        OrganisationId = Org,
        WorkspaceId = Ws,
        ConversationId = ConversationId.New(),
        PatientId = Jane,
        SentBy = Alice,
        Subject = "Your letter",
        Body = "Please find your clinic letter attached.",
        Attachments = [AttachmentId.New()],
        EmailMessageId = MessageId.New(),
        SmsMessageId = MessageId.New(),
        LinkTokenHash = linkHash,
        LinkExpiresAt = T0 + Duration.FromDays(7),
        AccessCodeHash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
        AccessCodeExpiresAt = T0 + Duration.FromDays(7),
        FailedAttempts = 0,
        CreatedAt = T0,
        UpdatedAt = T0,
        Version = 1,
    };

    private static void AssertSame(DirectMessage expected, DirectMessage? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Attachments, actual.Attachments);
        Assert.Equal(expected with { Attachments = actual.Attachments }, actual);
    }
}

/// <summary>Internal staff threads (R17): participants' thread lists, messages in order, version-checked updates.</summary>
public abstract class InternalMessageStoreTests : StoreConformanceTests
{
    /// <summary>A thread reads back whole; a member lists their threads newest activity first, up to the limit, as they join and leave.</summary>
    [StoreFact]
    public async Task Threads_list_per_participant_newest_activity_first()
    {
        var older = Thread([Alice, Bob], T0);
        var newer = Thread([Alice, Carol], T0 + Duration.FromMinutes(1));
        var elsewhere = Thread([Alice], T0 + Duration.FromMinutes(2)) with { WorkspaceId = OtherWs };
        await WriteAsync(work =>
        {
            work.AddInternalThread(older);
            work.AddInternalThread(newer);
            work.AddInternalThread(elsewhere);
        });
        AssertSame(older, await Store.GetInternalThreadAsync(older.Id));
        Assert.Equal([newer.Id, older.Id], (await Store.ListInternalThreadsAsync(Ws, Alice, 10)).Select(t => t.Id));
        Assert.Equal([newer.Id], (await Store.ListInternalThreadsAsync(Ws, Alice, 1)).Select(t => t.Id));

        // Carol joins the older thread and it becomes the most recent; Bob leaves it.
        var active = older with { Participants = [Alice, Carol], LastActivityAt = T0 + Duration.FromMinutes(5), Version = 2 };
        await WriteAsync(work => work.UpdateInternalThread(active, 1));

        AssertSame(active, await Store.GetInternalThreadAsync(older.Id));
        Assert.Equal([older.Id, newer.Id], (await Store.ListInternalThreadsAsync(Ws, Carol, 10)).Select(t => t.Id));
        Assert.Empty(await Store.ListInternalThreadsAsync(Ws, Bob, 10));
        Assert.Null(await Store.GetInternalThreadAsync(ConversationId.New()));
    }

    /// <summary>Messages list oldest first (ties in the order added); ids are unique; thread updates are version-checked.</summary>
    [StoreFact]
    public async Task Messages_list_in_order_and_updates_are_version_checked()
    {
        var thread = Thread([Alice, Bob], T0);
        var messages = new[] { Message(thread, Bob, T0 + Duration.FromSeconds(5)), Message(thread, Alice, T0), Message(thread, Bob, T0 + Duration.FromSeconds(5)) };
        await WriteAsync(work =>
        {
            work.AddInternalThread(thread);
            foreach (var m in messages)
            {
                work.AddInternalMessage(m);
            }
        });

        Assert.Equal([messages[1].Id, messages[0].Id, messages[2].Id], (await Store.ListInternalMessagesAsync(thread.Id)).Select(m => m.Id));
        Assert.Equal(messages[1], (await Store.ListInternalMessagesAsync(thread.Id))[0]);
        await CommitFailsAsync<MessagingConflictException>(work => work.AddInternalMessage(messages[0]), MessagingErrorCodes.AlreadyExists);
        await CommitFailsAsync<MessagingConflictException>(work => work.AddInternalThread(thread), MessagingErrorCodes.AlreadyExists);
        await CommitFailsAsync<MessagingConflictException>(work => work.UpdateInternalThread(thread with { Subject = "late", Version = 3 }, 2), MessagingErrorCodes.ConcurrencyConflict);
        await CommitFailsAsync<MessagingNotFoundException>(work => work.UpdateInternalThread(Thread([Alice], T0) with { Version = 2 }, 1), MessagingErrorCodes.InternalThreadNotFound);
    }

    /// <summary>The organisation's threads about a patient list oldest first, across workspaces.</summary>
    [StoreFact]
    public async Task A_patients_threads_list_oldest_first_across_workspaces()
    {
        var first = Thread([Alice], T0) with { PatientId = Jane };
        var second = Thread([Bob], T0 + Duration.FromMinutes(1)) with { PatientId = Jane, WorkspaceId = OtherWs };
        await WriteAsync(work =>
        {
            work.AddInternalThread(second);
            work.AddInternalThread(first);
            work.AddInternalThread(Thread([Alice], T0));
        });

        Assert.Equal([first.Id, second.Id], (await Store.ListPatientInternalThreadsAsync(Org, Jane)).Select(t => t.Id));
        Assert.Empty(await Store.ListPatientInternalThreadsAsync(OtherOrg, Jane));
    }

    private static InternalThread Thread(IReadOnlyList<StaffId> participants, Instant at) => new()
    {
        Id = ConversationId.New(),
        OrganisationId = Org,
        WorkspaceId = Ws,
        Subject = "Rota",
        StartedBy = participants[0],
        Participants = participants,
        CreatedAt = at,
        LastActivityAt = at,
        Version = 1,
    };

    private static InternalMessage Message(InternalThread thread, StaffId sender, Instant at) => new()
    {
        Id = MessageId.New(), ThreadId = thread.Id, OrganisationId = Org, WorkspaceId = thread.WorkspaceId, SentBy = sender, Body = "Can you cover Tuesday?", CreatedAt = at,
    };

    private static void AssertSame(InternalThread expected, InternalThread? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Participants, actual.Participants);
        Assert.Equal(expected with { Participants = actual.Participants }, actual);
    }
}

/// <summary>A patient's communication history (R25): keyset pages newest first, and what a viewer may see.</summary>
public abstract class PatientHistoryStoreTests : StoreConformanceTests
{
    /// <summary>Pages of every size give the patient's messages of the workspace newest first (ties by id), each once.</summary>
    [StoreFact]
    public async Task History_pages_through_the_patients_messages_newest_first()
    {
        await SeedAsync();
        var conversation = NewConversation();
        var other = NewConversation() with { PatientId = new PatientId("p-other") };
        var messages = Enumerable.Range(0, 13).Select(i => NewMessage(conversation, T0 + Duration.FromSeconds(i / 3))).ToList();
        await WriteAsync(work =>
        {
            work.AddConversation(conversation);
            work.AddConversation(other);
            messages.ForEach(work.AddMessage);
            work.AddMessage(NewMessage(other));
            work.AddMessage(NewMessage(conversation) with { WorkspaceId = OtherWs });
        });

        var expected = messages.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id.Value).Select(m => m.Id).ToList();
        foreach (var size in new[] { 1, 4, 13, 50 })
        {
            Assert.Equal(expected, await PageThroughAsync(new PatientHistoryQuery { WorkspaceId = Ws, PatientId = Jane, PageSize = size }));
        }
    }

    /// <summary>A viewer sees messages of conversations they take part in or that are assigned to them or one of their teams.</summary>
    [StoreFact]
    public async Task A_viewer_sees_only_conversations_they_are_part_of()
    {
        await SeedAsync();
        var alices = NewConversation(Alice, at: T0);
        var bobsWithCarol = NewConversation(Bob, at: T0) with { Participants = [Bob, Carol] };
        var nurses = NewConversation(Bob, at: T0) with { Assignee = Assignee.Team(Nurses) };
        var assignedToAlice = NewConversation(Carol, at: T0) with { Assignee = Assignee.Staff(Alice) };
        var all = new[] { alices, bobsWithCarol, nurses, assignedToAlice };
        var byConversation = all.ToDictionary(c => c.Id, c => NewMessage(c, T0 + Duration.FromSeconds(Array.IndexOf(all, c))));
        await WriteAsync(work =>
        {
            foreach (var c in all)
            {
                work.AddConversation(c);
                work.AddMessage(byConversation[c.Id]);
            }
        });

        async Task<IReadOnlyList<Conversation>> SeenBy(StaffId staff, params TeamId[] teams)
        {
            var ids = await PageThroughAsync(new PatientHistoryQuery { WorkspaceId = Ws, PatientId = Jane, PageSize = 10, Viewer = new HistoryViewer(staff, teams) });
            return [.. all.Where(c => ids.Contains(byConversation[c.Id].Id))];
        }

        Assert.Equal([alices, assignedToAlice], await SeenBy(Alice));
        Assert.Equal([bobsWithCarol, nurses], await SeenBy(Bob));
        Assert.Equal([bobsWithCarol, nurses, assignedToAlice], await SeenBy(Carol, Nurses));
        Assert.Equal([bobsWithCarol, assignedToAlice], await SeenBy(Carol));
        Assert.Equal(4, (await PageThroughAsync(new PatientHistoryQuery { WorkspaceId = Ws, PatientId = Jane, PageSize = 10 })).Count);
    }

    private async Task<List<MessageId>> PageThroughAsync(PatientHistoryQuery first)
    {
        var ids = new List<MessageId>();
        var query = first;
        for (var pages = 0; pages < 100; pages++)
        {
            var page = await Store.QueryPatientHistoryAsync(query);
            Assert.True(page.Messages.Count <= query.PageSize);
            ids.AddRange(page.Messages.Select(m => m.Id));
            if (page.NextCursor is not { } next)
            {
                break;
            }

            Assert.Equal(query.PageSize, page.Messages.Count);
            query = query with { After = next };
        }

        return ids;
    }
}
