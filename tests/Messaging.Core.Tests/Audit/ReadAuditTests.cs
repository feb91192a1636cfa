using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Audit;

/// <summary>R19: reading patient data is audited like changing it — a conversation's messages and a patient's record.</summary>
public sealed class ReadAuditTests
{
    [Fact]
    public async Task Reading_a_conversations_messages_is_audited_with_who_and_which_patient()
    {
        await using var world = await CreateAsync();
        var conversation = await world.Conversations.StartAsync(Bob, Dermatology, Jane);

        await world.Messages.ListAsync(Carol, conversation.Id);

        var events = await world.Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Trust, TargetId = conversation.Id.ToString(), Action = AuditAction.ConversationMessagesViewed });
        events.Should().ContainSingle().Which.Should().Match<AuditEvent>(e => e.Actor == AuditActor.Staff(Carol) && e.PatientId == Jane && e.WorkspaceId == Dermatology);
    }

    [Fact]
    public async Task Reading_a_patient_is_audited_and_a_refused_read_is_not()
    {
        await using var world = await CreateAsync();

        await world.Patients.GetAsync(Bob, TrustDefault, Jane);
        var refused = () => world.Patients.GetAsync(Mallory, TrustDefault, Jane);
        await refused.Should().ThrowAsync<MessagingException>();

        var events = await world.Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Trust, PatientId = Jane, Action = AuditAction.PatientViewed });
        events.Should().ContainSingle().Which.Actor.Should().Be(AuditActor.Staff(Bob));
    }
}
