namespace Messaging.Templates;

/// <summary>A message to a patient from a saved template (R16): which template, for whom, on which channel, with which values.</summary>
/// <remarks>
/// The built-in placeholders (patient, workspace, organisation, staff) are filled from the SDK's own records of the
/// patient, the workspace and its organisation, and the sending member; <see cref="Values"/> supplies the rest (e.g.
/// <c>appointment.date</c>) and wins where it sets a built-in too.
/// </remarks>
public sealed record TemplateMessageRequest
{
    /// <summary>The workspace it is sent from; the template must belong to it.</summary>
    public required WorkspaceId WorkspaceId { get; init; }

    /// <summary>The template: the actor's own, or one shared in the workspace.</summary>
    public required TemplateId TemplateId { get; init; }

    /// <summary><see cref="MessageChannel.Sms"/> or <see cref="MessageChannel.Email"/>.</summary>
    public required MessageChannel Channel { get; init; }

    /// <summary>Continue this conversation; <see langword="null"/> to start a new one with <see cref="PatientId"/>.</summary>
    public ConversationId? ConversationId { get; init; }

    /// <summary>The patient, when starting a new conversation.</summary>
    public PatientId? PatientId { get; init; }

    /// <summary>
    /// The host's values, from <see cref="ITemplateMessageService.CreateValues"/>; <see langword="null"/>
    /// when the template uses built-in placeholders only. Not changed by the call.
    /// </summary>
    public TemplateValues? Values { get; init; }

    /// <summary>The email subject (email only; required there).</summary>
    public string? Subject { get; init; }

    /// <summary>Allow the patient to reply once through a secure link (R12); the link counts towards the SMS segments.</summary>
    public bool AllowReply { get; init; }

    /// <summary>
    /// Files uploaded earlier to the same workspace (R11), as for <see cref="SendMessageRequest.Attachments"/>: each reaches
    /// the patient as a download link, which counts towards the SMS segments.
    /// </summary>
    public IReadOnlyList<AttachmentId> Attachments { get; init; } = [];

    /// <summary>
    /// The host's idempotency key (R24), as for <see cref="SendMessageRequest.IdempotencyKey"/>: the same key with the
    /// same rendered content returns the original message; with different values it is a conflict.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Ids only: the values and subject may be patient data.</summary>
    /// <returns>A description without patient data.</returns>
    public override string ToString() => $"TemplateMessageRequest {{ TemplateId = {TemplateId}, Channel = {Channel}, WorkspaceId = {WorkspaceId} }}";
}
