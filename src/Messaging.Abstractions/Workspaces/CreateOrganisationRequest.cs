namespace Messaging;

/// <summary>An organisation to register, with its default workspace and first admin.</summary>
public sealed record CreateOrganisationRequest
{
    /// <summary>The host's id of the organisation.</summary>
    public required OrganisationId OrganisationId { get; init; }

    /// <summary>Its display name.</summary>
    public required string Name { get; init; }

    /// <summary>The id for its default workspace.</summary>
    public required WorkspaceId DefaultWorkspaceId { get; init; }

    /// <summary>The default workspace's first admin.</summary>
    public required NewMember FirstAdmin { get; init; }
}
