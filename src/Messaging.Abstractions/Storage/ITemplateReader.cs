namespace Messaging.Storage;

/// <summary>Reads of message templates (R16).</summary>
public interface ITemplateReader
{
    /// <summary>The template, or <see langword="null"/>. Visibility is the caller's business, not the store's.</summary>
    ValueTask<MessageTemplate?> GetTemplateAsync(TemplateId templateId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The templates <paramref name="owner"/> may use in the workspace: the workspace's shared templates (whoever owns
    /// them) and <paramref name="owner"/>'s personal templates there; never another member's personal ones. Ordered by
    /// <see cref="MessageTemplate.NameKey"/> (ordinal), then <see cref="MessageTemplate.IsShared"/> (personal first),
    /// then id.
    /// </summary>
    ValueTask<IReadOnlyList<MessageTemplate>> ListTemplatesAsync(WorkspaceId workspaceId, StaffId owner, CancellationToken cancellationToken = default);
}
