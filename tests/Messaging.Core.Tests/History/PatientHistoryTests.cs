using System.Text.RegularExpressions;
using Messaging.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.History;

public sealed partial class PatientHistoryTests
{
    [GeneratedRegex(@"https://ehr\.example\.nhs\.uk/m/r/([A-Za-z0-9_-]{22})")]
    private static partial Regex LinkPattern();

    private static SendMessageRequest Sms(WorkspaceId workspace, string body, ConversationId? conversation = null)
        => new() { WorkspaceId = workspace, Channel = MessageChannel.Sms, PatientId = conversation is null ? Jane : null, ConversationId = conversation, Body = body };

    private static async Task<TestWorld> WorldAsync(bool sharedInbox = true)
    {
        var world = await CreateAsync(dermatologyHasSharedInbox: sharedInbox);
        await world.Credits.PurchaseAsync(Alice, Trust, 1000, "INV-1");
        return world;
    }

    private static IPatientHistoryService History(TestWorld world) => world.Services.GetRequiredService<IPatientHistoryService>();

    private static Task<PatientHistoryResult> PageAsync(TestWorld world, StaffId actor, int? pageSize = null, string? token = null, WorkspaceId? workspace = null)
        => History(world).GetHistoryAsync(actor, new PatientHistoryRequest { WorkspaceId = workspace ?? Dermatology, PatientId = Jane, PageSize = pageSize, PageToken = token });

    /// <summary>Every page of the actor's history, in order.</summary>
    private static async Task<List<PatientHistoryEntry>> AllPagesAsync(TestWorld world, StaffId actor, int pageSize)
    {
        var all = new List<PatientHistoryEntry>();
        string? token = null;
        do
        {
            var page = await PageAsync(world, actor, pageSize, token);
            page.Entries.Count.Should().BeLessThanOrEqualTo(pageSize);
            all.AddRange(page.Entries);
            token = page.NextPageToken;
            if (token is not null)
            {
                page.Entries.Should().HaveCount(pageSize, "only the last page may be short");
            }
        }
        while (token is not null);
        return all;
    }

    [Fact]
    public async Task A_patients_messages_on_every_channel_come_newest_first_with_channel_sender_status_and_times()
    {
        await using var world = await WorldAsync();
        var sms = await world.Messages.SendAsync(Bob, Sms(Dermatology, "Your results are back.") with { AllowReply = true });
        await world.Dispatcher.DispatchDueAsync();
        var email = await world.Messages.SendAsync(Carol, new SendMessageRequest
        {
            WorkspaceId = Dermatology, Channel = MessageChannel.Email, ConversationId = sms.ConversationId, Subject = "Your appointment", Body = "See you on Friday.",
        });
        var token = LinkPattern().Match(world.Sms.Accepted[^1].Body).Groups[1].Value;
        var reply = await world.Services.GetRequiredService<IPatientReplyService>().ReplyAsync(token, "Thank you!");
        var direct = await world.StoreMessageAsync(sms, MessageChannel.DirectMessage, Bob, "Your letter is attached.");
        var internalNote = await world.StoreMessageAsync(sms, MessageChannel.Internal, Bob, "Carol, can you call her back?");

        var page = await PageAsync(world, Alice);

        page.NextPageToken.Should().BeNull();
        page.Entries.Select(e => e.MessageId).Should().Equal(internalNote.Id, direct.Id, reply.ReplyId!.Value, email.Id, sms.Id);
        page.Entries.Select(e => e.CreatedAt).Should().BeInDescendingOrder();
        page.Entries.Select(e => e.Channel).Should().Equal(MessageChannel.Internal, MessageChannel.DirectMessage, MessageChannel.Sms, MessageChannel.Email, MessageChannel.Sms);
        page.Entries[2].Should().Match<PatientHistoryEntry>(e => e.Direction == MessageDirection.Inbound && e.SentBy == null && e.SenderName == null
            && e.InReplyTo == sms.Id && e.Body == "Thank you!" && e.Status == DeliveryStatus.Delivered);
        page.Entries[3].Should().Match<PatientHistoryEntry>(e => e.Direction == MessageDirection.Outbound && e.SentBy == Carol && e.SenderName == "Carol Clark"
            && e.Status == DeliveryStatus.Queued && e.Subject == "Your appointment" && e.CreatedAt == email.CreatedAt);
        var storedSms = (await world.Store.GetMessageAsync(sms.Id))!;
        page.Entries[4].Should().Match<PatientHistoryEntry>(e => e.SentBy == Bob && e.SenderName == "Bob Brown" && e.Status == DeliveryStatus.Sent
            && e.ProviderStatus == "queued" && e.CreatedAt == sms.CreatedAt && e.StatusChangedAt == storedSms.UpdatedAt && e.StatusChangedAt > e.CreatedAt);
        page.Entries.Should().OnlyContain(e => e.ConversationId == sms.ConversationId);
    }

    [Fact]
    public async Task Pages_follow_one_another_without_gaps_or_repeats_across_ties_and_new_arrivals()
    {
        await using var world = await WorldAsync();
        var first = await world.Messages.SendAsync(Bob, Sms(Dermatology, "0"));
        for (var i = 1; i < 4; i++)
        {
            await world.Messages.SendAsync(Bob, Sms(Dermatology, $"{i}", first.ConversationId));
        }

        world.Clock.AutoAdvance = Duration.Zero; // seven messages created at one instant: only the id orders them
        for (var i = 4; i < 11; i++)
        {
            await world.Messages.SendAsync(i % 2 == 0 ? Bob : Carol, Sms(Dermatology, $"{i}", i < 8 ? first.ConversationId : null));
        }

        world.Clock.AutoAdvance = Duration.FromSeconds(1);
        world.Clock.Advance(Duration.FromSeconds(1));
        for (var i = 11; i < 14; i++)
        {
            await world.Messages.SendAsync(Carol, Sms(Dermatology, $"{i}"));
        }

        var whole = (await PageAsync(world, Alice, pageSize: 100)).Entries;
        var expected = whole.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.MessageId.Value).Select(e => e.MessageId).ToList();
        whole.Select(e => e.MessageId).Should().Equal(expected, "newest first, then id descending within an instant");
        whole.Should().HaveCount(14);
        whole.GroupBy(e => e.CreatedAt).Max(g => g.Count()).Should().Be(7);

        foreach (var size in new[] { 1, 2, 3, 5, 7, 13, 14 })
        {
            (await AllPagesAsync(world, Alice, size)).Select(e => e.MessageId).Should().Equal(expected, $"pages of {size} cover the history once, in order");
        }

        // A message arriving while the host pages lands before the first page; the pages already begun neither shift nor repeat.
        var page1 = await PageAsync(world, Alice, pageSize: 5);
        await world.Messages.SendAsync(Bob, Sms(Dermatology, "late"));
        var page2 = await PageAsync(world, Alice, pageSize: 5, token: page1.NextPageToken);
        page1.Entries.Concat(page2.Entries).Select(e => e.MessageId).Should().Equal(expected.Take(10));
    }

    [Fact]
    public async Task Without_a_shared_inbox_a_member_sees_only_conversations_they_started_sent_in_or_are_assigned()
    {
        await using var world = await WorldAsync(sharedInbox: false);
        var bobs = await world.Messages.SendAsync(Bob, Sms(Dermatology, "From Bob"));
        var carols = await world.Messages.SendAsync(Carol, Sms(Dermatology, "From Carol"));
        var joint = await world.Messages.SendAsync(Alice, Sms(Dermatology, "From Alice"));
        await world.Conversations.AssignAsync(Alice, joint.ConversationId, Assignee.Staff(Bob));
        var bobJoins = await world.Messages.SendAsync(Bob, Sms(Dermatology, "Bob joins", joint.ConversationId));
        await world.Conversations.AssignAsync(Bob, joint.ConversationId, Assignee.Staff(Alice)); // Bob stays a participant

        (await PageAsync(world, Bob)).Entries.Select(e => e.MessageId).Should().Equal(bobJoins.Id, joint.Id, bobs.Id);
        (await PageAsync(world, Carol)).Entries.Select(e => e.MessageId).Should().Equal(carols.Id);
        (await PageAsync(world, Alice)).Entries.Select(e => e.MessageId).Should().Equal(bobJoins.Id, joint.Id);

        // Assigned to a team Bob is in: Bob can open Carol's conversation, so it is in his history too.
        await world.Conversations.AssignAsync(Carol, carols.ConversationId, Assignee.Team(Nurses));
        (await PageAsync(world, Bob)).Entries.Select(e => e.MessageId).Should().Equal(bobJoins.Id, joint.Id, carols.Id, bobs.Id);
        (await PageAsync(world, Alice)).Entries.Select(e => e.MessageId).Should().Equal(bobJoins.Id, joint.Id);

        // Paging skips what the member may not see without shortening pages.
        (await AllPagesAsync(world, Bob, 1)).Select(e => e.MessageId).Should().Equal(bobJoins.Id, joint.Id, carols.Id, bobs.Id);
    }

    [Fact]
    public async Task With_a_shared_inbox_every_member_sees_every_conversation_of_the_workspace_and_no_other_workspaces()
    {
        await using var world = await WorldAsync(sharedInbox: true);
        var bobs = await world.Messages.SendAsync(Bob, Sms(Dermatology, "From Bob"));
        var carols = await world.Messages.SendAsync(Carol, Sms(Dermatology, "From Carol"));
        var elsewhere = await world.Messages.SendAsync(Bob, Sms(TrustDefault, "From the trust's default workspace"));

        foreach (var member in new[] { Alice, Bob, Carol })
        {
            (await PageAsync(world, member)).Entries.Select(e => e.MessageId).Should().Equal(carols.Id, bobs.Id);
        }

        (await PageAsync(world, Carol, workspace: TrustDefault)).Entries.Should().BeEmpty("the default workspace has no shared inbox and Carol sent nothing there");
        (await PageAsync(world, Bob, workspace: TrustDefault)).Entries.Select(e => e.MessageId).Should().Equal(elsewhere.Id);
    }

    [Fact]
    public async Task A_non_member_is_refused_and_nothing_is_audited()
    {
        await using var world = await WorldAsync();
        await world.Messages.SendAsync(Bob, Sms(Dermatology, "Hello"));
        var audits = await world.AuditCountAsync();

        var read = () => PageAsync(world, Mallory);

        (await read.Should().ThrowAsync<MessagingAuthorizationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.NotAMember);
        (await world.AuditCountAsync()).Should().Be(audits);
    }

    [Fact]
    public async Task Each_page_read_is_audited_as_a_view_of_the_patient()
    {
        await using var world = await WorldAsync();
        await world.Messages.SendAsync(Bob, Sms(Dermatology, "Hello"));

        await PageAsync(world, Carol);

        var views = await world.Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Trust, Action = AuditAction.PatientHistoryViewed, Limit = 10 });
        views.Should().ContainSingle().Which.Should().Match<AuditEvent>(e => e.PatientId == Jane && e.WorkspaceId == Dermatology && e.Actor == AuditActor.Staff(Carol));
    }

    [Fact]
    public async Task An_unknown_patient_a_bad_page_size_and_a_foreign_page_token_are_refused()
    {
        await using var world = await WorldAsync();
        for (var i = 0; i < 3; i++)
        {
            await world.Messages.SendAsync(Bob, Sms(Dermatology, $"{i}"));
        }

        var bobsToken = (await PageAsync(world, Bob, pageSize: 1)).NextPageToken!;

        var unknown = () => History(world).GetHistoryAsync(Bob, new PatientHistoryRequest { WorkspaceId = Dermatology, PatientId = new PatientId("nobody") });
        (await unknown.Should().ThrowAsync<MessagingNotFoundException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.PatientNotFound);
        foreach (var size in new[] { 0, 101 })
        {
            var bad = () => PageAsync(world, Bob, pageSize: size);
            (await bad.Should().ThrowAsync<MessagingValidationException>()).Which.Field.Should().Be("pageSize");
        }

        foreach (var (actor, token) in new[] { (Carol, bobsToken), (Bob, "not-a-token"), (Bob, bobsToken[..^2]) })
        {
            var replay = () => PageAsync(world, actor, pageSize: 1, token: token);
            (await replay.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.InvalidCursor);
        }
    }
}
