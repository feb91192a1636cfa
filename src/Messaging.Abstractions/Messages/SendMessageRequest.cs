namespace Messaging;

/// <summary>A message staff send to a patient by SMS or email (R6, R10).</summary>
public sealed record SendMessageRequest
{
    /// <summary>The workspace it is sent from.</summary>
    public required WorkspaceId WorkspaceId { get; init; }

    /// <summary><see cref="MessageChannel.Sms"/> or <see cref="MessageChannel.Email"/>.</summary>
    public required MessageChannel Channel { get; init; }

    /// <summary>Continue this conversation (R6); <see langword="null"/> to start a new one with <see cref="PatientId"/>.</summary>
    public ConversationId? ConversationId { get; init; }

    /// <summary>The patient, when starting a new conversation.</summary>
    public PatientId? PatientId { get; init; }

    /// <summary>The text, already rendered. Patient data.</summary>
    public required string Body { get; init; }

    /// <summary>The email subject (email only).</summary>
    public string? Subject { get; init; }

    /// <summary>An HTML body sent with the text one (email only).</summary>
    public string? HtmlBody { get; init; }

    /// <summary>
    /// Allow the patient to reply once through a secure link (R12). The link is added to the text the patient
    /// receives; the stored message keeps the text without it, so the token is never stored in clear.
    /// </summary>
    public bool AllowReply { get; init; }

    /// <summary>
    /// Files uploaded earlier with <see cref="IAttachmentService.UploadAsync"/> to the same workspace (R11). Each reaches
    /// the patient as a download link with its own expiring token, added to the text like the reply link.
    /// </summary>
    public IReadOnlyList<AttachmentId> Attachments { get; init; } = [];

    /// <summary>
    /// The host's idempotency key (R24): the same key with the same content returns the original message instead of
    /// sending again; with different content it is a conflict.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Ids and flags only: the body and subject are patient data (R22).</summary>
    public override string ToString()
        => $"SendMessageRequest {{ WorkspaceId = {WorkspaceId}, Channel = {Channel}, ConversationId = {ConversationId}, PatientId = {PatientId}, AllowReply = {AllowReply}, Attachments = {Attachments.Count} }}";
}
