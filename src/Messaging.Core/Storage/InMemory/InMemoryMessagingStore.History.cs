using NodaTime;

namespace Messaging.Storage.InMemory;

internal sealed partial class InMemoryMessagingStore
{
    /// <summary>Each patient's messages per workspace, newest first: the index a history page is read from (R25).</summary>
    private readonly Dictionary<(WorkspaceId, PatientId), SortedSet<HistoryKey>> _historyIndexes = [];

    /// <summary>A message's place in a patient's history: newest first, then id descending (Guid order).</summary>
    private readonly record struct HistoryKey(Instant CreatedAt, MessageId Id) : IComparable<HistoryKey>
    {
        public int CompareTo(HistoryKey other)
        {
            var byTime = other.CreatedAt.CompareTo(CreatedAt);
            return byTime != 0 ? byTime : other.Id.Value.CompareTo(Id.Value);
        }
    }

    public ValueTask<PatientHistoryPage> QueryPatientHistoryAsync(PatientHistoryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        return Read(() =>
        {
            if (!_historyIndexes.TryGetValue((query.WorkspaceId, query.PatientId), out var index) || index.Count == 0)
            {
                return new PatientHistoryPage([], null);
            }

            var keys = index as IEnumerable<HistoryKey>;
            if (query.After is { } after)
            {
                var from = new HistoryKey(after.CreatedAt, after.MessageId);
                keys = from.CompareTo(index.Max) > 0 ? [] : index.GetViewBetween(from, index.Max).SkipWhile(k => k.CompareTo(from) == 0);
            }

            var messages = new List<Message>(query.PageSize);
            PatientHistoryCursor? next = null;
            foreach (var key in keys)
            {
                var message = _messages[key.Id];
                if (query.Viewer is { } viewer && !IsVisibleTo(_conversations[message.ConversationId], viewer))
                {
                    continue;
                }

                if (messages.Count == query.PageSize)
                {
                    var last = messages[^1];
                    next = new PatientHistoryCursor(last.CreatedAt, last.Id);
                    break;
                }

                messages.Add(message);
            }

            return new PatientHistoryPage(messages, next);
        });
    }

    private static bool IsVisibleTo(Conversation conversation, HistoryViewer viewer)
        => conversation.IsParticipant(viewer.StaffId)
            || conversation.Assignee.StaffId == viewer.StaffId
            || (conversation.Assignee.TeamId is { } team && viewer.Teams.Contains(team));

    private Action IndexHistory(Message message)
    {
        var key = (message.WorkspaceId, message.PatientId);
        if (!_historyIndexes.TryGetValue(key, out var index))
        {
            _historyIndexes[key] = index = [];
        }

        var entry = new HistoryKey(message.CreatedAt, message.Id);
        index.Add(entry);
        return () => index.Remove(entry);
    }
}
