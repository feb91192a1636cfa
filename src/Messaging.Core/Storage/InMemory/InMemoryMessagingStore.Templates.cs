namespace Messaging.Storage.InMemory;

internal sealed partial class InMemoryMessagingStore
{
    private readonly Dictionary<TemplateId, MessageTemplate> _templates = [];

    // The unique name index of R16: (workspace, owner — null for the shared set —, name key) → template.
    private readonly Dictionary<(WorkspaceId, StaffId?, string), TemplateId> _templateNames = [];

    public ValueTask<MessageTemplate?> GetTemplateAsync(TemplateId templateId, CancellationToken cancellationToken = default)
        => Read(() => _templates.GetValueOrDefault(templateId));

    public ValueTask<IReadOnlyList<MessageTemplate>> ListTemplatesAsync(WorkspaceId workspaceId, StaffId owner, CancellationToken cancellationToken = default)
        => Read<IReadOnlyList<MessageTemplate>>(() =>
        [
            .. _templates.Values
                .Where(t => t.WorkspaceId == workspaceId && (t.IsShared || t.Owner == owner))
                .OrderBy(t => t.NameKey, StringComparer.Ordinal)
                .ThenBy(t => t.IsShared)
                .ThenBy(t => t.Id.Value),
        ]);

    private static (WorkspaceId, StaffId?, string) NameSlot(MessageTemplate template)
        => (template.WorkspaceId, template.IsShared ? null : template.Owner, template.NameKey);

    private Action ApplyAddTemplate(MessageTemplate template)
    {
        var slot = NameSlot(template);
        if (_templateNames.ContainsKey(slot))
        {
            throw NameTaken(template);
        }

        var undoInsert = Insert(_templates, template.Id, template, "Template");
        _templateNames.Add(slot, template.Id);
        return () =>
        {
            _templateNames.Remove(slot);
            undoInsert();
        };
    }

    private Action ApplyUpdateTemplate(MessageTemplate template, long expectedVersion)
    {
        var current = CurrentTemplate(template.Id, expectedVersion);
        if (template.Version != expectedVersion + 1)
        {
            throw new InvalidOperationException($"An updated template must carry version {expectedVersion + 1}, not {template.Version}.");
        }

        if (template.WorkspaceId != current.WorkspaceId || template.Owner != current.Owner || template.CreatedAt != current.CreatedAt)
        {
            throw new InvalidOperationException("A template's workspace, owner and creation time never change.");
        }

        var oldSlot = NameSlot(current);
        var newSlot = NameSlot(template);
        if (newSlot != oldSlot && _templateNames.ContainsKey(newSlot))
        {
            throw NameTaken(template);
        }

        _templateNames.Remove(oldSlot);
        _templateNames.Add(newSlot, template.Id);
        _templates[template.Id] = template;
        return () =>
        {
            _templates[template.Id] = current;
            _templateNames.Remove(newSlot);
            _templateNames.Add(oldSlot, current.Id);
        };
    }

    private Action ApplyDeleteTemplate(TemplateId templateId, long expectedVersion)
    {
        var current = CurrentTemplate(templateId, expectedVersion);
        var slot = NameSlot(current);
        _templates.Remove(templateId);
        _templateNames.Remove(slot);
        return () =>
        {
            _templates.Add(templateId, current);
            _templateNames.Add(slot, templateId);
        };
    }

    private MessageTemplate CurrentTemplate(TemplateId templateId, long expectedVersion)
    {
        var current = _templates.GetValueOrDefault(templateId) ?? throw Errors.TemplateNotFound(templateId);
        return current.Version == expectedVersion ? current : throw Errors.StaleTemplate(templateId, expectedVersion, current.Version);
    }

    private static MessagingConflictException NameTaken(MessageTemplate template) => Errors.TemplateNameTaken(template.WorkspaceId, template.IsShared);
}
