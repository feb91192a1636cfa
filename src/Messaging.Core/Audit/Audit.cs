using NodaTime;

namespace Messaging.Audit;

/// <summary>Builds audit events (R19) with the injected clock.</summary>
internal static class Audit
{
    public static AuditEvent Event(
        IClock clock,
        OrganisationId organisationId,
        WorkspaceId? workspaceId,
        AuditActor actor,
        AuditAction action,
        PatientId? patientId = null,
        string? targetId = null,
        IReadOnlyDictionary<string, string>? details = null)
        => new()
        {
            Id = Guid.NewGuid(),
            OccurredAt = clock.GetCurrentInstant(),
            OrganisationId = organisationId,
            WorkspaceId = workspaceId,
            Actor = actor,
            Action = action,
            PatientId = patientId,
            TargetId = targetId,
            Details = details,
        };
}
