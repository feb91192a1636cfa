namespace Messaging.Templates;

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
