using Messaging.Paging;
using Messaging.Storage;
using Messaging.Workspaces;
using Microsoft.Extensions.Options;
using NodaTime;
using static Messaging.Audit.Audit;

namespace Messaging.History;

/// <summary>
/// A patient's communication history across channels (R25), read from the store's history index one keyset page at a
/// time, limited to the actor's own conversations when the workspace has no shared inbox (R2, R5).
/// </summary>
internal sealed class PatientHistoryService(
    IMessagingStore store,
    WorkspaceAccess access,
    IClock clock,
    IOptions<PatientMessagingOptions> options,
    KeysetPageToken pageTokens) : IPatientHistoryService
{
    private readonly PatientMessagingOptions _options = options.Value;

    public async Task<PatientHistoryResult> GetHistoryAsync(StaffId actor, PatientHistoryRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var workspace = (await access.RequireMemberAsync(request.WorkspaceId, actor, cancellationToken).ConfigureAwait(false)).Workspace;
        _ = await store.GetPatientAsync(workspace.OrganisationId, request.PatientId, cancellationToken).ConfigureAwait(false)
            ?? throw Errors.PatientNotFound(request.PatientId);

        var pageSize = request.PageSize ?? _options.DefaultPageSize;
        if (pageSize < 1 || pageSize > _options.MaxPageSize)
        {
            throw new MessagingValidationException(MessagingErrorCodes.OutOfRange, $"The page size must be between 1 and {_options.MaxPageSize}.", "pageSize");
        }

        var shape = $"history\n{request.WorkspaceId.Value}\n{request.PatientId.Value}\n{actor.Value}";
        var after = pageTokens.Decode(request.PageToken, shape, "patient history") is { } position
            ? new PatientHistoryCursor(position.At, new MessageId(position.Id))
            : (PatientHistoryCursor?)null;
        var viewer = workspace.HasSharedInbox ? null : await ViewerAsync(workspace.Id, actor, cancellationToken).ConfigureAwait(false);

        var page = await store.QueryPatientHistoryAsync(
            new PatientHistoryQuery { WorkspaceId = workspace.Id, PatientId = request.PatientId, Viewer = viewer, After = after, PageSize = pageSize },
            cancellationToken).ConfigureAwait(false);

        var names = new Dictionary<StaffId, string?>();
        var entries = new List<PatientHistoryEntry>(page.Messages.Count);
        foreach (var message in page.Messages)
        {
            string? senderName = null;
            if (message.SentBy is { } sender && !names.TryGetValue(sender, out senderName))
            {
                senderName = names[sender] = (await store.GetMemberAsync(workspace.Id, sender, cancellationToken).ConfigureAwait(false))?.DisplayName;
            }

            entries.Add(ToEntry(message, senderName));
        }

        await store.WriteAsync(
            work => work.AppendAudit(Event(clock, workspace.OrganisationId, workspace.Id, AuditActor.Staff(actor), AuditAction.PatientHistoryViewed, request.PatientId,
                details: new Dictionary<string, string> { ["entries"] = entries.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) })),
            cancellationToken).ConfigureAwait(false);

        var next = page.NextCursor is { } cursor ? pageTokens.Encode(cursor.CreatedAt, cursor.MessageId.Value, shape) : null;
        return new PatientHistoryResult(entries, next);
    }

    private async Task<HistoryViewer> ViewerAsync(WorkspaceId workspaceId, StaffId actor, CancellationToken cancellationToken)
    {
        var teams = await store.ListTeamsAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        return new HistoryViewer(actor, [.. teams.Where(t => t.Members.Contains(actor)).Select(t => t.Id)]);
    }

    private static PatientHistoryEntry ToEntry(Message message, string? senderName) => new()
    {
        MessageId = message.Id,
        ConversationId = message.ConversationId,
        Channel = message.Channel,
        Direction = message.Direction,
        SentBy = message.SentBy,
        SenderName = senderName,
        Status = message.Status,
        ProviderStatus = message.ProviderStatus,
        ErrorCode = message.ErrorCode,
        CreatedAt = message.CreatedAt,
        StatusChangedAt = message.UpdatedAt,
        InReplyTo = message.InReplyTo,
        Attachments = message.Attachments,
        Subject = message.Subject,
        Body = message.Body,
    };
}
