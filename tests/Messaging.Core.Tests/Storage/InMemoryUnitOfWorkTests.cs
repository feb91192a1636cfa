using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Storage;

public sealed class InMemoryUnitOfWorkTests
{
    [Fact]
    public async Task When_one_write_fails_at_commit_none_of_the_unit_of_work_is_applied()
    {
        await using var world = await CreateAsync();
        var existing = await world.Conversations.StartAsync(Bob, Dermatology, Jane);
        var fresh = existing with { Id = ConversationId.New(), Version = 1 };
        var auditBefore = await world.AuditCountAsync();

        var work = await world.Store.BeginAsync();
        await using (work)
        {
            work.AddConversation(fresh);
            work.AppendAudit(new AuditEvent
            {
                Id = Guid.NewGuid(), OccurredAt = world.Clock.GetCurrentInstant(), OrganisationId = Trust, Actor = AuditActor.System, Action = AuditAction.ConversationStarted,
            });
            work.UpdateConversation(existing with { Version = 99 }, expectedVersion: 98); // stale: fails

            var commit = () => work.CommitAsync().AsTask();
            (await commit.Should().ThrowAsync<MessagingConflictException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.ConcurrencyConflict);
        }

        (await world.Store.GetConversationAsync(fresh.Id)).Should().BeNull();
        (await world.AuditCountAsync()).Should().Be(auditBefore);
        (await world.Store.QueryInboxAsync(new InboxQuery { WorkspaceId = Dermatology, View = InboxView.All, Reader = Bob, PageSize = 10 }))
            .Items.Should().ContainSingle().Which.Conversation.Id.Should().Be(existing.Id);
    }

    [Fact]
    public async Task Writes_are_invisible_until_commit_and_discarded_on_dispose()
    {
        await using var world = await CreateAsync();
        var conversation = await world.Conversations.StartAsync(Bob, Dermatology, Jane);
        var copy = conversation with { Id = ConversationId.New() };

        var work = await world.Store.BeginAsync();
        await using (work)
        {
            work.AddConversation(copy);
            (await world.Store.GetConversationAsync(copy.Id)).Should().BeNull();
        }

        (await world.Store.GetConversationAsync(copy.Id)).Should().BeNull();
    }

    [Fact]
    public async Task Two_units_of_work_updating_the_same_version_conflict_and_the_first_commit_wins()
    {
        await using var world = await CreateAsync();
        var conversation = await world.Conversations.StartAsync(Bob, Dermatology, Jane);

        var first = await world.Store.BeginAsync();
        var second = await world.Store.BeginAsync();
        first.UpdateConversation(conversation with { Status = ConversationStatus.Done, Version = conversation.Version + 1 }, conversation.Version);
        second.UpdateConversation(conversation with { Subject = "changed", Version = conversation.Version + 1 }, conversation.Version);

        await first.CommitAsync();
        var late = () => second.CommitAsync().AsTask();

        (await late.Should().ThrowAsync<MessagingConflictException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.ConcurrencyConflict);
        var stored = await world.Store.GetConversationAsync(conversation.Id);
        stored!.Status.Should().Be(ConversationStatus.Done);
        stored.Subject.Should().BeNull();
        await first.DisposeAsync();
        await second.DisposeAsync();
    }

    [Fact]
    public async Task Adding_an_existing_organisation_is_refused_as_already_existing()
    {
        await using var world = await CreateAsync();

        var act = () => world.Workspaces.CreateOrganisationAsync(new CreateOrganisationRequest
        {
            OrganisationId = Trust,
            Name = "Again",
            DefaultWorkspaceId = new WorkspaceId("other-default"),
            FirstAdmin = new NewMember(new StaffId("zed"), "zed@example.com", "Zed"),
        });

        (await act.Should().ThrowAsync<MessagingConflictException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.AlreadyExists);
        (await world.Store.GetWorkspaceAsync(new WorkspaceId("other-default"))).Should().BeNull();
        (await world.Store.GetMemberAsync(new WorkspaceId("other-default"), new StaffId("zed"))).Should().BeNull();
    }
}
