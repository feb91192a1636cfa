namespace Messaging;

/// <summary>A Direct Message staff send to a patient (R18).</summary>
public sealed record SendDirectMessageRequest
{
    /// <summary>The workspace it is sent from.</summary>
    public required WorkspaceId WorkspaceId { get; init; }

    /// <summary>Continue this conversation (R6); <see langword="null"/> to start a new one with <see cref="PatientId"/>.</summary>
    public ConversationId? ConversationId { get; init; }

    /// <summary>The patient, when starting a new conversation.</summary>
    public PatientId? PatientId { get; init; }

    /// <summary>The title shown once unlocked (never in the email or SMS). Patient data.</summary>
    public required string Subject { get; init; }

    /// <summary>The confidential content, already rendered (never in the email or SMS). Patient data.</summary>
    public required string Body { get; init; }

    /// <summary>
    /// Documents or forms already uploaded to the workspace (<see cref="IAttachmentService.UploadAsync"/>), offered for
    /// download once unlocked; no link to them travels in the email or SMS.
    /// </summary>
    public IReadOnlyList<AttachmentId> Attachments { get; init; } = [];

    /// <summary>
    /// The host's idempotency key (R24): the same key with the same content returns the original Direct Message
    /// instead of sending again; with different content it is a conflict.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Ids and counts only: the subject and body are patient data (R22).</summary>
    public override string ToString()
        => $"SendDirectMessageRequest {{ WorkspaceId = {WorkspaceId}, ConversationId = {ConversationId}, PatientId = {PatientId}, Attachments = {Attachments.Count} }}";
}
