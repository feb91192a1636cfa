namespace Messaging.Storage.InMemory;

internal sealed partial class InMemoryMessagingStore
{
    /// <summary>
    /// Stages writes; <see cref="CommitAsync"/> applies them in order under the store's lock, each checking its
    /// precondition against the current state and registering how to undo itself. If one fails, the ones already
    /// applied are undone in reverse order and the error is rethrown: all or nothing.
    /// </summary>
    private sealed class UnitOfWork(InMemoryMessagingStore store) : IMessagingUnitOfWork
    {
        private readonly List<Func<Action>> _writes = [];
        private bool _done;

        public void AddOrganisation(Organisation organisation) => Stage(() => store.Insert(store._organisations, organisation.Id, organisation, "Organisation"));

        public void AddWorkspace(Workspace workspace) => Stage(() => store.Insert(store._workspaces, workspace.Id, workspace, "Workspace"));

        public void UpsertMember(WorkspaceMember member) => Stage(() => Put(store._members, (member.WorkspaceId, member.StaffId), member));

        public void RemoveMember(WorkspaceId workspaceId, StaffId staffId) => Stage(() => store.ApplyRemoveMember(workspaceId, staffId));

        public void AddTeam(Team team) => Stage(() => store.Insert(store._teams, (team.WorkspaceId, team.Id), Copy(team), "Team"));

        public void UpdateTeam(Team team) => Stage(() => Put(store._teams, (team.WorkspaceId, team.Id), Copy(team)));

        public void UpsertPatient(Patient patient) => Stage(() => store.ApplyUpsertPatient(patient));

        public void AddConversation(Conversation conversation) => Stage(() => store.ApplyAddConversation(Copy(conversation)));

        public void UpdateConversation(Conversation conversation, long expectedVersion)
            => Stage(() => store.ApplyUpdateConversation(Copy(conversation), expectedVersion));

        public void AddAssignment(Assignment assignment) => Stage(() => store.ApplyAddAssignment(assignment));

        public void SetReadPosition(ReadPosition position)
            => Stage(() => Put(store._readPositions, (position.ConversationId, position.StaffId), position));

        public void AddMessage(Message message) => Stage(() => store.ApplyAddMessage(Copy(message)));

        public void UpdateMessage(Message message, long expectedVersion) => Stage(() => store.ApplyUpdateMessage(Copy(message), expectedVersion));

        public void AddOutboxEntry(OutboxEntry entry) => Stage(() => store.Insert(store._outbox, entry.MessageId, entry, "Outbox entry"));

        public void CompleteOutboxEntry(MessageId messageId, string leaseOwner)
            => Stage(() => store.ApplyOutboxLeaseChange(messageId, leaseOwner, replacement: null));

        public void RenewOutboxLease(MessageId messageId, string leaseOwner, NodaTime.Instant now, NodaTime.Instant leaseExpiresAt)
            => Stage(() => store.ApplyRenewOutboxLease(messageId, leaseOwner, now, leaseExpiresAt));

        public void RescheduleOutboxEntry(MessageId messageId, string leaseOwner, int attempts, NodaTime.Instant nextAttemptAt)
            => Stage(() => store.ApplyOutboxLeaseChange(messageId, leaseOwner, new OutboxEntry(messageId, attempts, nextAttemptAt)));

        public void AddInternalThread(InternalThread thread)
            => Stage(() => store.Insert(store._internalThreads, thread.Id, thread with { Participants = [.. thread.Participants] }, "Internal thread"));

        public void UpdateInternalThread(InternalThread thread, long expectedVersion)
            => Stage(() => store.ApplyUpdateInternalThread(thread with { Participants = [.. thread.Participants] }, expectedVersion));

        public void AddInternalMessage(InternalMessage message) => Stage(() => store.ApplyAddInternalMessage(message));

        public void AddDirectMessage(DirectMessage directMessage) => Stage(() => store.ApplyAddDirectMessage(Copy(directMessage)));

        public void UpdateDirectMessage(DirectMessage directMessage, long expectedVersion)
            => Stage(() => store.ApplyUpdateDirectMessage(Copy(directMessage), expectedVersion));

        public void AppendCreditEntry(CreditLedgerEntry entry) => Stage(() => store.ApplyCreditEntry(entry));

        public void IssueReplyToken(ReplyToken token) => Stage(() => store.ApplyIssueReplyToken(token));

        public void ActivateReplyToken(string tokenHash) => Stage(() => store.ApplyActivateReplyToken(tokenHash));

        public void RevokeReplyToken(string tokenHash) => Stage(() => store.ApplyRevokeReplyToken(tokenHash));

        public void SpendReplyToken(string tokenHash, NodaTime.Instant usedAt) => Stage(() => store.ApplySpendReplyToken(tokenHash, usedAt));

        public void SetOptOut(OptOutState state) => Stage(() => Put(store._optOuts, (state.OrganisationId, state.Number), state));

        public void AddNotification(Notification notification) => Stage(() => store.ApplyAddNotification(notification));

        public void MarkNotificationRead(NotificationId notificationId, NodaTime.Instant readAt)
            => Stage(() => store.ApplyMarkNotificationRead(notificationId, readAt));

        public void AddAttachment(Attachment attachment) => Stage(() => store.Insert(store._attachments, attachment.Id, attachment, "Attachment"));

        public void AddAttachmentLink(AttachmentLink link) => Stage(() => store.ApplyAddAttachmentLink(link));

        public void AppendAudit(AuditEvent auditEvent) => Stage(() =>
        {
            store._audit.Add(auditEvent);
            return () => store._audit.RemoveAt(store._audit.Count - 1);
        });

        public void AddTemplate(MessageTemplate template) => Stage(() => store.ApplyAddTemplate(template));

        public void UpdateTemplate(MessageTemplate template, long expectedVersion) => Stage(() => store.ApplyUpdateTemplate(template, expectedVersion));

        public void DeleteTemplate(TemplateId templateId, long expectedVersion) => Stage(() => store.ApplyDeleteTemplate(templateId, expectedVersion));

        public ValueTask CommitAsync(CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(_done, this);
            _done = true;
            lock (store._gate)
            {
                var undo = new Stack<Action>(_writes.Count);
                try
                {
                    foreach (var write in _writes)
                    {
                        undo.Push(write());
                    }
                }
                catch
                {
                    while (undo.Count > 0)
                    {
                        undo.Pop()();
                    }

                    throw;
                }
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            _done = true;
            _writes.Clear();
            return ValueTask.CompletedTask;
        }

        private void Stage(Func<Action> write)
        {
            ObjectDisposedException.ThrowIf(_done, this);
            _writes.Add(write);
        }

        // Lists handed in by callers are copied, so a caller mutating its list later cannot change stored state.
        private static Team Copy(Team team) => team with { Members = [.. team.Members] };

        private static Conversation Copy(Conversation conversation) => conversation with { Participants = [.. conversation.Participants] };

        private static DirectMessage Copy(DirectMessage directMessage) => directMessage with { Attachments = [.. directMessage.Attachments] };

        private static Message Copy(Message message) => message.Attachments.Count == 0 ? message : message with { Attachments = [.. message.Attachments] };
    }

    private Action Insert<TKey, TValue>(Dictionary<TKey, TValue> table, TKey key, TValue value, string what)
        where TKey : notnull
    {
        if (!table.TryAdd(key, value))
        {
            throw new MessagingConflictException(MessagingErrorCodes.AlreadyExists, $"{what} '{key}' already exists.");
        }

        return () => table.Remove(key);
    }

    private static Action Put<TKey, TValue>(Dictionary<TKey, TValue> table, TKey key, TValue value)
        where TKey : notnull
    {
        var had = table.TryGetValue(key, out var previous);
        table[key] = value;
        return had ? () => table[key] = previous! : () => table.Remove(key);
    }

    private Action ApplyRemoveMember(WorkspaceId workspaceId, StaffId staffId)
    {
        var undo = new List<Action>();
        if (_members.Remove((workspaceId, staffId), out var member))
        {
            undo.Add(() => _members[(workspaceId, staffId)] = member);
        }

        foreach (var team in _teams.Values.Where(t => t.WorkspaceId == workspaceId && t.Members.Contains(staffId)).ToList())
        {
            undo.Add(Put(_teams, (workspaceId, team.Id), team with { Members = [.. team.Members.Where(m => m != staffId)] }));
        }

        return () => undo.ForEach(u => u());
    }

    private Action ApplyUpsertPatient(Patient patient)
    {
        // Only patients with an NHS number are indexed by it: any number may have none (R33), and none is ever found by it.
        if (patient.NhsNumber is { } nhsNumber
            && _patientsByNhsNumber.TryGetValue((patient.OrganisationId, nhsNumber), out var holder) && holder != patient.Id)
        {
            throw new MessagingConflictException(MessagingErrorCodes.AlreadyExists, $"Another patient of organisation '{patient.OrganisationId}' has this NHS number.");
        }

        var key = (patient.OrganisationId, patient.Id);
        var previous = _patients.GetValueOrDefault(key);
        if (previous?.NhsNumber is { } previousNumber)
        {
            _patientsByNhsNumber.Remove((previous.OrganisationId, previousNumber));
        }

        _patients[key] = patient;
        if (patient.NhsNumber is { } number)
        {
            _patientsByNhsNumber[(patient.OrganisationId, number)] = patient.Id;
        }

        return () =>
        {
            if (patient.NhsNumber is { } number)
            {
                _patientsByNhsNumber.Remove((patient.OrganisationId, number));
            }

            if (previous is null)
            {
                _patients.Remove(key);
            }
            else
            {
                _patients[key] = previous;
                if (previous.NhsNumber is { } previousNumber)
                {
                    _patientsByNhsNumber[(previous.OrganisationId, previousNumber)] = previous.Id;
                }
            }
        };
    }

    private Action ApplyAddConversation(Conversation conversation)
    {
        var undoInsert = Insert(_conversations, conversation.Id, conversation, "Conversation");
        var byPatient = (conversation.WorkspaceId, conversation.PatientId);
        if (!_conversationsByPatient.TryGetValue(byPatient, out var ids))
        {
            _conversationsByPatient[byPatient] = ids = [];
        }

        ids.Add(conversation.Id);
        Index(conversation);
        return () =>
        {
            Unindex(conversation);
            ids.Remove(conversation.Id);
            undoInsert();
        };
    }

    private Action ApplyUpdateConversation(Conversation conversation, long expectedVersion)
    {
        var current = _conversations.GetValueOrDefault(conversation.Id) ?? throw Errors.ConversationNotFound(conversation.Id);
        if (current.Version != expectedVersion)
        {
            throw Errors.StaleVersion(conversation.Id, expectedVersion, current.Version);
        }

        if (conversation.Version != expectedVersion + 1)
        {
            throw new InvalidOperationException($"An updated conversation must carry version {expectedVersion + 1}, not {conversation.Version}.");
        }

        Unindex(current);
        _conversations[conversation.Id] = conversation;
        Index(conversation);
        return () =>
        {
            Unindex(conversation);
            _conversations[conversation.Id] = current;
            Index(current);
        };
    }

    private Action ApplyAddAssignment(Assignment assignment)
    {
        if (!_assignments.TryGetValue(assignment.ConversationId, out var history))
        {
            _assignments[assignment.ConversationId] = history = [];
        }

        if (assignment.Sequence != history.Count + 1)
        {
            throw new MessagingConflictException(
                MessagingErrorCodes.ConcurrencyConflict,
                $"Assignment {assignment.Sequence} of conversation '{assignment.ConversationId}' was already recorded; read the conversation again and retry.");
        }

        history.Add(assignment);
        return () => history.RemoveAt(history.Count - 1);
    }
}
