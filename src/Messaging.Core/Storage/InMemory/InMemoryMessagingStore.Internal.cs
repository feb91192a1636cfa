namespace Messaging.Storage.InMemory;

internal sealed partial class InMemoryMessagingStore
{
    private readonly Dictionary<ConversationId, InternalThread> _internalThreads = [];
    private readonly Dictionary<ConversationId, List<InternalMessage>> _internalMessages = [];
    private readonly HashSet<MessageId> _internalMessageIds = [];

    public ValueTask<InternalThread?> GetInternalThreadAsync(ConversationId threadId, CancellationToken cancellationToken = default)
        => Read(() => _internalThreads.GetValueOrDefault(threadId));

    public ValueTask<IReadOnlyList<InternalMessage>> ListInternalMessagesAsync(ConversationId threadId, CancellationToken cancellationToken = default)
        => Read<IReadOnlyList<InternalMessage>>(() => _internalMessages.TryGetValue(threadId, out var list) ? [.. list.OrderBy(m => m.CreatedAt)] : []);

    public ValueTask<IReadOnlyList<InternalThread>> ListInternalThreadsAsync(WorkspaceId workspaceId, StaffId participant, int limit, CancellationToken cancellationToken = default)
        => Read<IReadOnlyList<InternalThread>>(() =>
        [
            .. _internalThreads.Values
                .Where(t => t.WorkspaceId == workspaceId && t.Participants.Contains(participant))
                .OrderByDescending(t => t.LastActivityAt)
                .ThenByDescending(t => t.Id.Value)
                .Take(limit),
        ]);

    public ValueTask<IReadOnlyList<InternalThread>> ListPatientInternalThreadsAsync(OrganisationId organisationId, PatientId patientId, CancellationToken cancellationToken = default)
        => Read<IReadOnlyList<InternalThread>>(() =>
        [
            .. _internalThreads.Values
                .Where(t => t.OrganisationId == organisationId && t.PatientId == patientId)
                .OrderBy(t => t.CreatedAt)
                .ThenBy(t => t.Id.Value),
        ]);

    private Action ApplyUpdateInternalThread(InternalThread thread, long expectedVersion)
    {
        var current = _internalThreads.GetValueOrDefault(thread.Id)
            ?? throw new MessagingNotFoundException(MessagingErrorCodes.InternalThreadNotFound, $"Internal thread '{thread.Id}' was not found.");
        if (current.Version != expectedVersion)
        {
            throw new MessagingConflictException(
                MessagingErrorCodes.ConcurrencyConflict,
                $"Internal thread '{thread.Id}' changed since it was read (version {expectedVersion} expected, {current.Version} found); read it again and retry.");
        }

        if (thread.Version != expectedVersion + 1)
        {
            throw new InvalidOperationException($"An updated internal thread must carry version {expectedVersion + 1}, not {thread.Version}.");
        }

        return Put(_internalThreads, thread.Id, thread);
    }

    private Action ApplyAddInternalMessage(InternalMessage message)
    {
        if (!_internalMessageIds.Add(message.Id))
        {
            throw new MessagingConflictException(MessagingErrorCodes.AlreadyExists, $"Internal message '{message.Id}' already exists.");
        }

        if (!_internalMessages.TryGetValue(message.ThreadId, out var list))
        {
            _internalMessages[message.ThreadId] = list = [];
        }

        list.Add(message);
        return () =>
        {
            list.RemoveAt(list.Count - 1);
            _internalMessageIds.Remove(message.Id);
        };
    }
}
