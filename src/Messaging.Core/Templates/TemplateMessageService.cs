using Messaging.Sending;
using Messaging.Storage;
using Messaging.Workspaces;
using Microsoft.Extensions.Options;

namespace Messaging.Templates;

/// <summary>
/// Renders saved templates for a patient (R16) and hands the result to <see cref="IMessageService"/>, which keeps every
/// rule of the send path (opt-out, credits, outbox, idempotency, retries on a conversation race). Rendering comes
/// first, so a missing value fails before the send path has read or written anything.
/// </summary>
internal sealed class TemplateMessageService(
    IMessagingStore store,
    WorkspaceAccess access,
    TemplateEngine engine,
    IMessageService messages,
    SmsCost smsCost,
    PatientLinkWording wording,
    IOptions<PatientMessagingOptions> options) : ITemplateMessageService
{
    public TemplateValues CreateValues() => engine.CreateValues();

    public Task<RenderedTemplate> RenderAsync(StaffId actor, TemplateMessageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RenderCoreAsync(actor, request, cancellationToken);
    }

    public async Task<Message> SendAsync(StaffId actor, TemplateMessageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var rendered = await RenderCoreAsync(actor, request, cancellationToken).ConfigureAwait(false);
        return await messages.SendAsync(
            actor,
            new SendMessageRequest
            {
                WorkspaceId = request.WorkspaceId,
                Channel = request.Channel,
                ConversationId = request.ConversationId,
                PatientId = request.PatientId,
                Body = rendered.Body,
                HtmlBody = rendered.HtmlBody,
                Subject = request.Subject,
                AllowReply = request.AllowReply,
                Attachments = request.Attachments,
                IdempotencyKey = request.IdempotencyKey,
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<RenderedTemplate> RenderCoreAsync(StaffId actor, TemplateMessageRequest request, CancellationToken cancellationToken)
    {
        if (request.Channel != MessageChannel.Sms && request.Channel != MessageChannel.Email)
        {
            throw new MessagingValidationException(MessagingErrorCodes.ChannelNotSupported, $"Channel '{request.Channel}' cannot be sent from a template; use SMS or email.", "channel");
        }

        var (workspace, member) = await access.RequireMemberAsync(request.WorkspaceId, actor, cancellationToken).ConfigureAwait(false);
        var template = (await TemplateService.RequireVisibleAsync(store, access, actor, request.TemplateId, cancellationToken).ConfigureAwait(false)).Template;
        if (template.WorkspaceId != workspace.Id)
        {
            throw Errors.TemplateNotFound(request.TemplateId);
        }

        var patient = await ResolvePatientAsync(actor, workspace, request, cancellationToken).ConfigureAwait(false);
        var organisation = await store.GetOrganisationAsync(workspace.OrganisationId, cancellationToken).ConfigureAwait(false)
            ?? throw Errors.OrganisationNotFound(workspace.OrganisationId);

        var values = engine.CreateValues().SetPatient(patient).SetWorkspace(workspace).SetOrganisation(organisation).SetStaff(member);
        if (request.Values is { } hostValues)
        {
            values.SetFrom(hostValues);
        }

        var zone = options.Value.ResolveTimeZone();
        var body = engine.Compile(template.Body).Render(values, RenderMode.Text, zone);
        if (request.Channel == MessageChannel.Sms)
        {
            body = wording.StaffSmsText(body); // staff see what the patient receives
        }

        var htmlBody = request.Channel == MessageChannel.Email && template.HtmlBody is { } html
            ? engine.Compile(html).Render(values, RenderMode.Html, zone)
            : null;

        // Counted on the text the patient will receive, download and reply links included, as the send path charges it.
        SmsSegmentInfo? sms = request.Channel == MessageChannel.Sms ? smsCost.Measure(workspace.Id, body, request.Attachments.Count, request.AllowReply) : null;
        return new RenderedTemplate { Channel = request.Channel, Body = body, HtmlBody = htmlBody, Sms = sms };
    }

    private async Task<Patient> ResolvePatientAsync(StaffId actor, Workspace workspace, TemplateMessageRequest request, CancellationToken cancellationToken)
    {
        PatientId patientId;
        if (request.ConversationId is { } conversationId)
        {
            var conversation = (await access.RequireConversationAsync(conversationId, actor, cancellationToken).ConfigureAwait(false)).Conversation;
            if (conversation.WorkspaceId != workspace.Id || (request.PatientId is { } p && p != conversation.PatientId))
            {
                throw new MessagingValidationException(MessagingErrorCodes.ConversationNotFound, $"Conversation '{conversationId}' is not a conversation of workspace '{workspace.Id}' with that patient.", "conversationId");
            }

            patientId = conversation.PatientId;
        }
        else
        {
            patientId = request.PatientId
                ?? throw new MessagingValidationException(MessagingErrorCodes.Required, "Either the conversation to continue or the patient to start one with is required.", "conversationId");
        }

        return await store.GetPatientAsync(workspace.OrganisationId, patientId, cancellationToken).ConfigureAwait(false)
            ?? throw Errors.PatientNotFound(patientId);
    }
}
