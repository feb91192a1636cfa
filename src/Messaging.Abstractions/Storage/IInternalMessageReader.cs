namespace Messaging.Storage;

/// <summary>Reads of internal staff threads and their messages (R17).</summary>
public interface IInternalMessageReader
{
    /// <summary>The internal thread, or <see langword="null"/> (also for a patient conversation's id).</summary>
    ValueTask<InternalThread?> GetInternalThreadAsync(ConversationId threadId, CancellationToken cancellationToken = default);

    /// <summary>The thread's messages, oldest first (by <see cref="InternalMessage.CreatedAt"/>, then the order added).</summary>
    ValueTask<IReadOnlyList<InternalMessage>> ListInternalMessagesAsync(ConversationId threadId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> threads of the workspace in which <paramref name="participant"/> is among
    /// <see cref="InternalThread.Participants"/>, ordered by <see cref="InternalThread.LastActivityAt"/> descending then
    /// <see cref="InternalThread.Id"/> descending.
    /// </summary>
    ValueTask<IReadOnlyList<InternalThread>> ListInternalThreadsAsync(WorkspaceId workspaceId, StaffId participant, int limit, CancellationToken cancellationToken = default);

    /// <summary>The organisation's threads about the patient, in every workspace, oldest first (for the patient's record, R25).</summary>
    ValueTask<IReadOnlyList<InternalThread>> ListPatientInternalThreadsAsync(OrganisationId organisationId, PatientId patientId, CancellationToken cancellationToken = default);
}
