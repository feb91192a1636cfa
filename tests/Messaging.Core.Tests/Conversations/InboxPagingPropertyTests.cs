using Messaging.Tests.Support;
using NodaTime;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Conversations;

/// <summary>
/// Property-style check of R7: for random conversations (with many equal activity times, so ties matter), random
/// assignees, participants, statuses and read positions, paging through any view with any filter and page size
/// yields exactly what a straightforward sort-and-filter over the same data yields, page by page.
/// </summary>
public sealed class InboxPagingPropertyTests
{
    private static readonly StaffId[] Staff = [Alice, Bob, Carol];

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= 12; seed++)
        {
            data.Add(seed);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Keyset_pages_equal_a_straightforward_sort_over_the_same_data(int seed)
    {
        var random = new Random(seed);
        await using var world = await CreateAsync();
        var conversations = await SeedAsync(world, random, count: random.Next(1, 160));

        for (var q = 0; q < 25; q++)
        {
            var reader = Staff[random.Next(Staff.Length)];
            var view = RandomView(random);
            var status = (ConversationStatusFilter)random.Next(3);
            var unreadOnly = random.Next(3) == 0;
            var pageSize = random.Next(1, 30);

            var expected = conversations
                .Where(c => view.Matches(c) && Matches(c, status))
                .Select(c => (c, unread: IsUnread(world, c, reader)))
                .Where(x => !unreadOnly || x.unread)
                .OrderByDescending(x => x.c.LastActivityAt).ThenByDescending(x => x.c.Id.Value)
                .Select(x => (x.c.Id, x.unread))
                .ToList();

            var pages = new List<List<(ConversationId, bool)>>();
            string? token = null;
            do
            {
                var page = await world.Inbox.GetPageAsync(reader, new InboxRequest
                {
                    WorkspaceId = Dermatology, View = view, Status = status, UnreadOnly = unreadOnly, PageSize = pageSize, PageToken = token,
                });
                pages.Add([.. page.Items.Select(i => (i.Conversation.Id, i.IsUnread))]);
                token = page.NextPageToken;
            }
            while (token is not null && pages.Count <= expected.Count + 1);

            var because = $"seed {seed}, query {q}: {view}, {status}, unreadOnly={unreadOnly}, pageSize={pageSize}";
            pages.SelectMany(p => p).Should().Equal(expected, because);
            pages.Take(pages.Count - 1).Where(p => p.Count != pageSize).Should().BeEmpty(because);
            pages[^1].Count.Should().BeLessThanOrEqualTo(pageSize, because);
            (await world.Store.CountUnreadAsync(Dermatology, view, reader))
                .Should().Be(conversations.Count(c => view.Matches(c) && IsUnread(world, c, reader)), because);
        }
    }

    private static InboxView RandomView(Random random) => random.Next(4) switch
    {
        0 => InboxView.AssignedTo(Staff[random.Next(Staff.Length)]),
        1 => InboxView.AssignedTo(Nurses),
        2 => InboxView.SentBy(Staff[random.Next(Staff.Length)]),
        _ => InboxView.All,
    };

    private static bool Matches(Conversation c, ConversationStatusFilter status)
        => status == ConversationStatusFilter.Any || (status == ConversationStatusFilter.Open) == (c.Status == ConversationStatus.Open);

    private static bool IsUnread(TestWorld world, Conversation c, StaffId reader)
    {
        var position = world.Store.GetReadPositionAsync(c.Id, reader).AsTask().GetAwaiter().GetResult();
        return position is null ? c.ActivitySequence > 0 : position.MarkedUnread || position.ReadUpTo < c.ActivitySequence;
    }

    private static async Task<List<Conversation>> SeedAsync(TestWorld world, Random random, int count)
    {
        var baseTime = Instant.FromUtc(2026, 1, 1, 0, 0);
        var result = new List<Conversation>(count);
        var work = await world.Store.BeginAsync();
        await using (work)
        {
            for (var i = 0; i < count; i++)
            {
                var starter = Staff[random.Next(Staff.Length)];
                var participants = Staff.Where(s => s == starter || random.Next(3) == 0).ToArray();
                var conversation = new Conversation
                {
                    Id = ConversationId.New(),
                    OrganisationId = Trust,
                    WorkspaceId = Dermatology,
                    PatientId = Jane,
                    StartedBy = starter,
                    Assignee = random.Next(4) == 0 ? Assignee.Team(Nurses) : Assignee.Staff(Staff[random.Next(Staff.Length)]),
                    Status = random.Next(3) == 0 ? ConversationStatus.Done : ConversationStatus.Open,
                    Participants = participants,
                    CreatedAt = baseTime,
                    LastActivityAt = baseTime.Plus(Duration.FromMinutes(random.Next(0, 20))), // few distinct times: many ties
                    ActivitySequence = random.Next(0, 4),
                    Version = 1,
                };
                work.AddConversation(conversation);
                foreach (var staff in Staff)
                {
                    if (random.Next(2) == 0)
                    {
                        work.SetReadPosition(new ReadPosition(conversation.Id, staff, random.Next(0, 4), MarkedUnread: random.Next(5) == 0));
                    }
                }

                result.Add(conversation);
            }

            await work.CommitAsync();
        }

        return result;
    }
}
