using Messaging.Storage;
using Messaging.Workspaces;

namespace Messaging.Sending;

/// <summary>
/// What every send to a patient checks before it writes anything, shared by the SMS and email send path
/// (<see cref="MessageService"/>) and Direct Messages: the request's shape limits, the target (workspace membership,
/// conversation, patient; R1), a textable mobile (R14), the attachments (R11), the credit balance (R15) and a repeated
/// idempotency key (R24).
/// </summary>
internal sealed class SendPreconditions(IMessagingStore store, WorkspaceAccess access, Outbox.ProviderRoutes routes)
{
    internal const int MaxSmsLength = 1600;      // what SMS providers accept in one request (Twilio: 1,600 characters)
    internal const int MaxEmailLength = 100_000;
    internal const int MaxIdempotencyKeyLength = 200;
    internal const int MaxAttachments = 5;

    /// <summary>A send continues a conversation or starts one with a patient: one of the two is required.</summary>
    internal static void RequireTarget(ConversationId? conversationId, PatientId? patientId)
    {
        if (conversationId is null && patientId is null)
        {
            throw new MessagingValidationException(MessagingErrorCodes.Required, "Either the conversation to continue or the patient to start one with is required.", "conversationId");
        }
    }

    /// <summary>An idempotency key, when given, is 1 to <see cref="MaxIdempotencyKeyLength"/> characters long.</summary>
    internal static void RequireIdempotencyKeyShape(string? idempotencyKey)
    {
        if (idempotencyKey is { } key && (string.IsNullOrWhiteSpace(key) || key.Length > MaxIdempotencyKeyLength))
        {
            throw new MessagingValidationException(MessagingErrorCodes.OutOfRange, $"The idempotency key must be 1 to {MaxIdempotencyKeyLength} characters long.", "idempotencyKey");
        }
    }

    /// <summary>
    /// Where a send goes: the workspace (the actor must be a member), the conversation to continue (visible to the actor,
    /// of this workspace and patient) or <see langword="null"/> to start one, and the patient.
    /// </summary>
    public async Task<(Workspace Workspace, Conversation? Conversation, Patient Patient)> ResolveTargetAsync(
        StaffId actor, WorkspaceId workspaceId, ConversationId? conversationId, PatientId? patientId, CancellationToken cancellationToken)
    {
        var workspace = (await access.RequireMemberAsync(workspaceId, actor, cancellationToken).ConfigureAwait(false)).Workspace;
        var conversation = await ResolveConversationAsync(actor, workspace, conversationId, patientId, cancellationToken).ConfigureAwait(false);
        var id = conversation?.PatientId ?? patientId!.Value;
        var patient = await store.GetPatientAsync(workspace.OrganisationId, id, cancellationToken).ConfigureAwait(false)
            ?? throw Errors.PatientNotFound(id);
        return (workspace, conversation, patient);
    }

    private async Task<Conversation?> ResolveConversationAsync(
        StaffId actor, Workspace workspace, ConversationId? conversationId, PatientId? patientId, CancellationToken cancellationToken)
    {
        if (conversationId is not { } id)
        {
            return null;
        }

        var (_, conversation) = await access.RequireConversationAsync(id, actor, cancellationToken).ConfigureAwait(false);
        if (conversation.WorkspaceId != workspace.Id || (patientId is { } p && p != conversation.PatientId))
        {
            throw new MessagingValidationException(MessagingErrorCodes.ConversationNotFound, $"Conversation '{id}' is not a conversation of workspace '{workspace.Id}' with that patient.", "conversationId");
        }

        return conversation;
    }

    /// <summary>The patient's mobile, if they have one and have not opted out of SMS (R14).</summary>
    public async Task<PhoneNumber> RequireTextableMobileAsync(OrganisationId organisationId, Patient patient, string field, CancellationToken cancellationToken)
    {
        var mobile = patient.Mobile
            ?? throw new MessagingValidationException(MessagingErrorCodes.RecipientMissing, $"Patient '{patient.Id}' has no mobile number.", field);
        if (await store.GetOptOutAsync(organisationId, mobile, cancellationToken).ConfigureAwait(false) is { OptedOut: true })
        {
            throw new MessagingConflictException(MessagingErrorCodes.RecipientOptedOut, $"Patient '{patient.Id}' has opted out of SMS (replied STOP); they must reply START before they can be texted again.");
        }

        return mobile;
    }

    /// <summary>Checks that every attachment was uploaded to the workspace.</summary>
    public async Task RequireAttachmentsAsync(WorkspaceId workspaceId, IReadOnlyList<AttachmentId> attachments, CancellationToken cancellationToken)
    {
        foreach (var id in attachments)
        {
            var attachment = await store.GetAttachmentAsync(id, cancellationToken).ConfigureAwait(false);
            if (attachment is null || attachment.WorkspaceId != workspaceId)
            {
                throw new MessagingValidationException(MessagingErrorCodes.AttachmentNotFound, $"Attachment '{id}' was not uploaded to workspace '{workspaceId}'.", "attachments");
            }
        }
    }

    /// <summary>
    /// Refuses a send on a channel the organisation has no provider route for (R26), with
    /// <see cref="MessagingErrorCodes.NoRoute"/>; checked before anything is charged or written.
    /// </summary>
    public void RequireRoute(OrganisationId organisationId, MessageChannel channel) => routes.Require(organisationId, channel);

    /// <summary>
    /// A friendly early refusal when the organisation has fewer than <paramref name="credits"/> SMS credits; the ledger
    /// enforces the same at commit, so concurrent sends never overdraw.
    /// </summary>
    public async Task RequireCreditsAsync(OrganisationId organisationId, int credits, CancellationToken cancellationToken)
    {
        var balance = await store.GetCreditBalanceAsync(organisationId, cancellationToken).ConfigureAwait(false);
        if (balance < credits)
        {
            throw InsufficientCredits(organisationId, balance, credits);
        }
    }

    /// <summary>The organisation's message with this idempotency key if its content hash matches; a conflict if it does not (R24).</summary>
    public async Task<Message?> FindRepeatAsync(OrganisationId organisationId, string key, string contentHash, CancellationToken cancellationToken)
    {
        var original = await store.FindMessageByIdempotencyKeyAsync(organisationId, key, cancellationToken).ConfigureAwait(false);
        if (original is null)
        {
            return null;
        }

        return original.ContentHash == contentHash
            ? original
            : throw new MessagingConflictException(MessagingErrorCodes.IdempotencyKeyReused, "This idempotency key was already used for a different message.");
    }

    private static MessagingConflictException InsufficientCredits(OrganisationId organisationId, int balance, int needed)
        => new(MessagingErrorCodes.InsufficientCredits, $"Organisation '{organisationId}' has {balance} SMS credits; this message needs {needed}.");
}
