using NodaTime;

namespace Messaging.Storage.InMemory;

/// <summary>
/// A thread-safe store held in memory: the reference implementation of <see cref="IMessagingStore"/>, used by the
/// SDK's tests, by hosts' own tests and by demos. One lock guards all state; a unit of work applies its writes in
/// order under that lock and undoes them all if one fails, so no reader ever sees half an operation.
/// </summary>
/// <remarks>
/// Inbox views are answered from sorted indexes (one per workspace and view), so the first page of a view costs
/// O(log n + page) whatever the number of conversations; unread-only pages and unread counts scan the view.
/// </remarks>
internal sealed partial class InMemoryMessagingStore : IMessagingStore
{
    private readonly object _gate = new();
    private readonly Dictionary<OrganisationId, Organisation> _organisations = [];
    private readonly Dictionary<WorkspaceId, Workspace> _workspaces = [];
    private readonly Dictionary<(WorkspaceId, StaffId), WorkspaceMember> _members = [];
    private readonly Dictionary<(WorkspaceId, TeamId), Team> _teams = [];
    private readonly Dictionary<(OrganisationId, PatientId), Patient> _patients = [];
    private readonly Dictionary<(OrganisationId, NhsNumber), PatientId> _patientsByNhsNumber = [];
    private readonly Dictionary<ConversationId, Conversation> _conversations = [];
    private readonly Dictionary<(WorkspaceId, PatientId), HashSet<ConversationId>> _conversationsByPatient = [];
    private readonly Dictionary<(WorkspaceId, InboxViewKind, string?), SortedSet<ActivityKey>> _inboxIndexes = [];
    private readonly Dictionary<ConversationId, List<Assignment>> _assignments = [];
    private readonly Dictionary<(ConversationId, StaffId), ReadPosition> _readPositions = [];
    private readonly List<AuditEvent> _audit = [];

    /// <summary>A conversation's place in an inbox index: newest activity first, then id descending.</summary>
    private readonly record struct ActivityKey(Instant LastActivityAt, ConversationId Id) : IComparable<ActivityKey>
    {
        public static ActivityKey Of(Conversation c) => new(c.LastActivityAt, c.Id);

        public static ActivityKey Of(InboxCursor c) => new(c.LastActivityAt, c.ConversationId);

        /// <summary>Sorts after every real key.</summary>
        public static ActivityKey End { get; } = new(Instant.MinValue, new ConversationId(Guid.Empty));

        public int CompareTo(ActivityKey other)
        {
            var byTime = other.LastActivityAt.CompareTo(LastActivityAt);
            return byTime != 0 ? byTime : other.Id.Value.CompareTo(Id.Value);
        }
    }

    public ValueTask<IMessagingUnitOfWork> BeginAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IMessagingUnitOfWork>(new UnitOfWork(this));
    }

    // ---- Reads --------------------------------------------------------------------------------------------------

    public ValueTask<Organisation?> GetOrganisationAsync(OrganisationId organisationId, CancellationToken cancellationToken = default)
        => Read(() => _organisations.GetValueOrDefault(organisationId));

    public ValueTask<Workspace?> GetWorkspaceAsync(WorkspaceId workspaceId, CancellationToken cancellationToken = default)
        => Read(() => _workspaces.GetValueOrDefault(workspaceId));

    public ValueTask<WorkspaceMember?> GetMemberAsync(WorkspaceId workspaceId, StaffId staffId, CancellationToken cancellationToken = default)
        => Read(() => _members.GetValueOrDefault((workspaceId, staffId)));

    public ValueTask<IReadOnlyList<WorkspaceMember>> ListMembershipsAsync(StaffId staffId, CancellationToken cancellationToken = default)
        => Read<IReadOnlyList<WorkspaceMember>>(() => [.. _members.Values.Where(m => m.StaffId == staffId).OrderBy(m => m.WorkspaceId.Value, StringComparer.Ordinal)]);

    public ValueTask<IReadOnlyList<WorkspaceMember>> ListMembersAsync(WorkspaceId workspaceId, CancellationToken cancellationToken = default)
        => Read<IReadOnlyList<WorkspaceMember>>(() => [.. _members.Values.Where(m => m.WorkspaceId == workspaceId).OrderBy(m => m.StaffId.Value, StringComparer.Ordinal)]);

    public ValueTask<Team?> GetTeamAsync(WorkspaceId workspaceId, TeamId teamId, CancellationToken cancellationToken = default)
        => Read(() => _teams.GetValueOrDefault((workspaceId, teamId)));

    public ValueTask<IReadOnlyList<Team>> ListTeamsAsync(WorkspaceId workspaceId, CancellationToken cancellationToken = default)
        => Read<IReadOnlyList<Team>>(() => [.. _teams.Values.Where(t => t.WorkspaceId == workspaceId).OrderBy(t => t.Id.Value, StringComparer.Ordinal)]);

    public ValueTask<Patient?> GetPatientAsync(OrganisationId organisationId, PatientId patientId, CancellationToken cancellationToken = default)
        => Read(() => _patients.GetValueOrDefault((organisationId, patientId)));

    public ValueTask<Patient?> FindPatientByNhsNumberAsync(OrganisationId organisationId, NhsNumber nhsNumber, CancellationToken cancellationToken = default)
        => Read(() => _patientsByNhsNumber.TryGetValue((organisationId, nhsNumber), out var id) ? _patients[(organisationId, id)] : null);

    public ValueTask<Conversation?> GetConversationAsync(ConversationId conversationId, CancellationToken cancellationToken = default)
        => Read(() => _conversations.GetValueOrDefault(conversationId));

    public ValueTask<IReadOnlyList<Conversation>> ListPatientConversationsAsync(
        WorkspaceId workspaceId, PatientId patientId, StaffId? participant, CancellationToken cancellationToken = default)
        => Read<IReadOnlyList<Conversation>>(() =>
            _conversationsByPatient.TryGetValue((workspaceId, patientId), out var ids)
                ? [.. ids.Select(id => _conversations[id])
                    .Where(c => participant is not { } p || c.IsParticipant(p))
                    .OrderBy(ActivityKey.Of)]
                : []);

    public ValueTask<InboxPage> QueryInboxAsync(InboxQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Read(() =>
        {
            var items = new List<InboxItem>(query.PageSize);
            InboxCursor? next = null;
            foreach (var conversation in Scan(query.WorkspaceId, query.View, query.After))
            {
                if (!MatchesStatus(conversation, query.Status))
                {
                    continue;
                }

                var unread = IsUnread(conversation, query.Reader);
                if (query.UnreadOnly && !unread)
                {
                    continue;
                }

                if (items.Count == query.PageSize)
                {
                    var last = items[^1].Conversation;
                    next = new InboxCursor(last.LastActivityAt, last.Id);
                    break;
                }

                items.Add(new InboxItem(conversation, unread));
            }

            return new InboxPage(items, next);
        });
    }

    public ValueTask<int> CountUnreadAsync(WorkspaceId workspaceId, InboxView view, StaffId reader, CancellationToken cancellationToken = default)
        => Read(() => Scan(workspaceId, view, after: null).Count(c => IsUnread(c, reader)));

    public ValueTask<IReadOnlyList<Assignment>> ListAssignmentsAsync(ConversationId conversationId, CancellationToken cancellationToken = default)
        => Read<IReadOnlyList<Assignment>>(() => _assignments.TryGetValue(conversationId, out var list) ? [.. list] : []);

    public ValueTask<ReadPosition?> GetReadPositionAsync(ConversationId conversationId, StaffId staffId, CancellationToken cancellationToken = default)
        => Read(() => _readPositions.GetValueOrDefault((conversationId, staffId)));

    public ValueTask<IReadOnlyList<AuditEvent>> ListAuditEventsAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Read<IReadOnlyList<AuditEvent>>(() =>
        [
            .. _audit.Where(e => e.OrganisationId == query.OrganisationId
                    && (query.PatientId is not { } p || e.PatientId == p)
                    && (query.TargetId is null || e.TargetId == query.TargetId)
                    && (query.Action is not { } a || e.Action == a))
                .Take(query.Limit),
        ]);
    }

    private ValueTask<T> Read<T>(Func<T> read)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(read());
        }
    }

    // Must be enumerated under the lock.
    private IEnumerable<Conversation> Scan(WorkspaceId workspaceId, InboxView view, InboxCursor? after)
    {
        if (!_inboxIndexes.TryGetValue(IndexKey(workspaceId, view), out var index) || index.Count == 0)
        {
            yield break;
        }

        var from = after is { } cursor ? ActivityKey.Of(cursor) : index.Min;
        if (from.CompareTo(index.Max) > 0)
        {
            yield break;
        }

        foreach (var key in index.GetViewBetween(from, index.Max))
        {
            if (after is { } c && key.Id == c.ConversationId)
            {
                continue;
            }

            yield return _conversations[key.Id];
        }
    }

    private static bool MatchesStatus(Conversation conversation, ConversationStatusFilter filter) => filter switch
    {
        ConversationStatusFilter.Open => conversation.Status == ConversationStatus.Open,
        ConversationStatusFilter.Done => conversation.Status == ConversationStatus.Done,
        _ => true,
    };

    private bool IsUnread(Conversation conversation, StaffId reader)
        => _readPositions.TryGetValue((conversation.Id, reader), out var position)
            ? position.MarkedUnread || position.ReadUpTo < conversation.ActivitySequence
            : conversation.ActivitySequence > 0;

    private static (WorkspaceId, InboxViewKind, string?) IndexKey(WorkspaceId workspaceId, InboxView view) => (workspaceId, view.Kind, view.Id);

    /// <summary>The views a conversation appears in: all, its assignee's, and each participant's "sent by".</summary>
    private static IEnumerable<InboxView> ViewsOf(Conversation conversation)
    {
        yield return InboxView.All;
        yield return conversation.Assignee.Kind == AssigneeKind.Team
            ? InboxView.AssignedTo(new TeamId(conversation.Assignee.Id))
            : InboxView.AssignedTo(new StaffId(conversation.Assignee.Id));
        foreach (var participant in conversation.Participants)
        {
            yield return InboxView.SentBy(participant);
        }
    }

    private void Index(Conversation conversation)
    {
        foreach (var view in ViewsOf(conversation))
        {
            var key = IndexKey(conversation.WorkspaceId, view);
            if (!_inboxIndexes.TryGetValue(key, out var index))
            {
                _inboxIndexes[key] = index = [];
            }

            index.Add(ActivityKey.Of(conversation));
        }
    }

    private void Unindex(Conversation conversation)
    {
        foreach (var view in ViewsOf(conversation))
        {
            _inboxIndexes[IndexKey(conversation.WorkspaceId, view)].Remove(ActivityKey.Of(conversation));
        }
    }
}
