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

/// <summary>A template rendered for one patient: what would be sent, and what it costs as SMS.</summary>
public sealed record RenderedTemplate
{
    /// <summary>The channel it was rendered for.</summary>
    public required MessageChannel Channel { get; init; }

    /// <summary>The SMS text or plain-text email body, values inserted as typed. Patient data.</summary>
    public required string Body { get; init; }

    /// <summary>The HTML email body with every value HTML-encoded, when the channel is email and the template has one. Patient data.</summary>
    public string? HtmlBody { get; init; }

    /// <summary>
    /// For SMS, the encoding and segments of the text the patient will receive (download links and, when
    /// <see cref="TemplateMessageRequest.AllowReply"/> is set, the reply link included) — what the send charges;
    /// <see langword="null"/> for email.
    /// </summary>
    public SmsSegmentInfo? Sms { get; init; }

    /// <summary>How many SMS parts it is sent in; 0 for email.</summary>
    public int Segments => Sms?.Segments ?? 0;

    /// <summary>The SMS credits a send charges (one per segment, R15); 0 for email.</summary>
    public int Credits => Sms?.Credits ?? 0;

    /// <summary>Counts only: the bodies are patient data.</summary>
    /// <returns>A description without patient data.</returns>
    public override string ToString() => $"RenderedTemplate {{ Channel = {Channel}, Segments = {Segments}, Credits = {Credits} }}";
}

/// <summary>Rendering saved templates for a patient, to preview or to send (R16).</summary>
/// <remarks>
/// <para>
/// The actor must be a member of the workspace and may use their own templates and the workspace's shared ones; others
/// are <see cref="MessagingErrorCodes.TemplateNotFound"/>. Dates show in <see cref="PatientMessagingOptions.TimeZone"/>,
/// the time zone of every workspace. In email HTML bodies values are HTML-encoded; in SMS they are inserted as typed.
/// </para>
/// <para>
/// A value the template needs but nobody supplied fails with a <see cref="MessagingValidationException"/>
/// (<see cref="TemplateErrorCodes.ValueMissing"/>, <c>Field</c> naming the placeholder) before anything is written: a
/// half-filled message is never queued nor charged.
/// </para>
/// </remarks>
public interface ITemplateMessageService
{
    /// <summary>
    /// An empty set of values for the registered placeholders (the built-ins and those added with
    /// <c>.AddTemplatePlaceholder(...)</c> or <c>Messaging:Templates:Placeholders</c>), to fill and pass as
    /// <see cref="TemplateMessageRequest.Values"/>.
    /// </summary>
    /// <returns>A new, empty instance; each setter checks that its placeholder is registered with that kind.</returns>
    TemplateValues CreateValues();

    /// <summary>Renders the template as the patient would receive it, with its SMS segments and credits, without sending.</summary>
    Task<RenderedTemplate> RenderAsync(StaffId actor, TemplateMessageRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Renders the template and sends the result exactly as <see cref="IMessageService.SendAsync"/> would send it
    /// written out (opt-out, credits, outbox, idempotency, audit).
    /// </summary>
    Task<Message> SendAsync(StaffId actor, TemplateMessageRequest request, CancellationToken cancellationToken = default);
}
