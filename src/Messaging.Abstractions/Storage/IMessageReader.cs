namespace Messaging.Storage;

/// <summary>Reads of messages and opt-outs (R10, R13, R14, R24).</summary>
public interface IMessageReader
{
    /// <summary>The message, or <see langword="null"/>.</summary>
    ValueTask<Message?> GetMessageAsync(MessageId messageId, CancellationToken cancellationToken = default);

    /// <summary>The organisation's message sent with this host idempotency key, or <see langword="null"/> (R24).</summary>
    ValueTask<Message?> FindMessageByIdempotencyKeyAsync(OrganisationId organisationId, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>The message a provider knows by this id, or <see langword="null"/> (delivery reports, R13).</summary>
    ValueTask<Message?> FindMessageByProviderIdAsync(string providerName, string providerMessageId, CancellationToken cancellationToken = default);

    /// <summary>The conversation's messages, oldest first.</summary>
    ValueTask<IReadOnlyList<Message>> ListConversationMessagesAsync(ConversationId conversationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// One page of a patient's communication history (R25): the messages (every channel, both directions) whose
    /// <see cref="Message.WorkspaceId"/> and <see cref="Message.PatientId"/> are the query's.
    /// </summary>
    /// <remarks>
    /// <list type="bullet">
    /// <item><description>Order: <see cref="Message.CreatedAt"/> descending, then <see cref="Message.Id"/> descending
    /// compared as <see cref="Guid.CompareTo(Guid)"/> does (the order of the ids' canonical text, which is also
    /// PostgreSQL's <c>uuid</c> order).</description></item>
    /// <item><description>Start: strictly after <see cref="PatientHistoryQuery.After"/> in that order, i.e. created
    /// earlier, or created at the same instant with a smaller id.</description></item>
    /// <item><description>Visibility: when <see cref="PatientHistoryQuery.Viewer"/> is set, only messages of
    /// conversations whose current <see cref="Conversation.Participants"/> contain its staff id, or whose current
    /// <see cref="Conversation.Assignee"/> is that staff member or one of its teams. Without a viewer, all of
    /// them.</description></item>
    /// <item><description>Size: at most <see cref="PatientHistoryQuery.PageSize"/> messages.
    /// <see cref="PatientHistoryPage.NextCursor"/> is the (<see cref="Message.CreatedAt"/>, <see cref="Message.Id"/>)
    /// of the page's last message when at least one further message matches, and <see langword="null"/> otherwise
    /// (so an empty next page is never promised).</description></item>
    /// <item><description>Cost: answer from an index on (workspace, patient, created at, id) so that a page costs the
    /// same whatever the length of the history (e.g. a keyset <c>WHERE (created_at, id) &lt; (@at, @id) ORDER BY
    /// created_at DESC, id DESC LIMIT @size + 1</c> joined to the conversations for visibility).</description></item>
    /// </list>
    /// </remarks>
    ValueTask<PatientHistoryPage> QueryPatientHistoryAsync(PatientHistoryQuery query, CancellationToken cancellationToken = default);

    /// <summary>The number's opt-out state with the organisation, or <see langword="null"/> if it never changed (R14).</summary>
    ValueTask<OptOutState?> GetOptOutAsync(OrganisationId organisationId, PhoneNumber number, CancellationToken cancellationToken = default);
}
