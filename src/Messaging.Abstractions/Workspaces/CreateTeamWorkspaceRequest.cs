namespace Messaging;

/// <summary>A team workspace to create inside an organisation (R2).</summary>
public sealed record CreateTeamWorkspaceRequest
{
    /// <summary>The organisation.</summary>
    public required OrganisationId OrganisationId { get; init; }

    /// <summary>The new workspace's id.</summary>
    public required WorkspaceId WorkspaceId { get; init; }

    /// <summary>Its name, e.g. "Dermatology at Northshire NHS Trust".</summary>
    public required string Name { get; init; }

    /// <summary>Whether members see each other's conversations. The default value is <see langword="true"/>.</summary>
    public bool HasSharedInbox { get; init; } = true;
}
