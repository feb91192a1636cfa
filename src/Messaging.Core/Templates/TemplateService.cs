using System.Globalization;
using Messaging.Sending;
using Messaging.Storage;
using Messaging.Workspaces;
using NodaTime;
using static Messaging.Audit.Audit;

namespace Messaging.Templates;

/// <summary>
/// Template management (R16): who sees, uses and changes which template. Names and versions are left to the store's
/// commit-time checks, so two concurrent saves can never both take a name or both overwrite one version.
/// </summary>
internal sealed class TemplateService(IMessagingStore store, WorkspaceAccess access, TemplateEngine engine, IClock clock) : ITemplateService
{
    internal const int MaxNameLength = 100;

    public async Task<MessageTemplate> CreateAsync(StaffId actor, CreateTemplateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var workspace = (await access.RequireMemberAsync(request.WorkspaceId, actor, cancellationToken).ConfigureAwait(false)).Workspace;
        var name = Errors.RequireText(request.Name, "name", MaxNameLength);
        var (body, htmlBody) = CheckBodies(request.Body, request.HtmlBody);
        if (request.Shared)
        {
            RequireSharable(workspace);
        }

        var now = clock.GetCurrentInstant();
        var template = new MessageTemplate
        {
            Id = TemplateId.New(),
            WorkspaceId = workspace.Id,
            Owner = actor,
            Name = name,
            Body = body,
            HtmlBody = htmlBody,
            IsShared = request.Shared,
            Version = 1,
            CreatedAt = now,
            UpdatedAt = now,
            UpdatedBy = actor,
        };

        await store.WriteAsync(
            work =>
            {
                work.AddTemplate(template);
                work.AppendAudit(Changed(workspace, actor, AuditAction.TemplateCreated, template));
            },
            cancellationToken).ConfigureAwait(false);
        return template;
    }

    public async Task<MessageTemplate> UpdateAsync(StaffId actor, TemplateId templateId, UpdateTemplateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (workspace, current) = await RequireEditableAsync(actor, templateId, cancellationToken).ConfigureAwait(false);
        var name = Errors.RequireText(request.Name, "name", MaxNameLength);
        var (body, htmlBody) = CheckBodies(request.Body, request.HtmlBody);
        var updated = Next(current, request.ExpectedVersion, actor) with { Name = name, Body = body, HtmlBody = htmlBody };
        await SaveAsync(workspace, actor, AuditAction.TemplateEdited, updated, request.ExpectedVersion, cancellationToken).ConfigureAwait(false);
        return updated;
    }

    public async Task DeleteAsync(StaffId actor, TemplateId templateId, long expectedVersion, CancellationToken cancellationToken = default)
    {
        var (workspace, current) = await RequireEditableAsync(actor, templateId, cancellationToken).ConfigureAwait(false);
        await store.WriteAsync(
            work =>
            {
                work.DeleteTemplate(templateId, expectedVersion);
                work.AppendAudit(Changed(workspace, actor, AuditAction.TemplateDeleted, current));
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<MessageTemplate> GetAsync(StaffId actor, TemplateId templateId, CancellationToken cancellationToken = default)
        => (await RequireVisibleAsync(store, access, actor, templateId, cancellationToken).ConfigureAwait(false)).Template;

    public async Task<TemplateList> ListAsync(StaffId actor, WorkspaceId workspaceId, CancellationToken cancellationToken = default)
    {
        await access.RequireMemberAsync(workspaceId, actor, cancellationToken).ConfigureAwait(false);
        var templates = await store.ListTemplatesAsync(workspaceId, actor, cancellationToken).ConfigureAwait(false);
        return new TemplateList([.. templates.Where(t => !t.IsShared)], [.. templates.Where(t => t.IsShared)]);
    }

    public async Task<MessageTemplate> ShareAsync(StaffId actor, TemplateId templateId, long expectedVersion, CancellationToken cancellationToken = default)
    {
        var (workspace, current) = await RequireEditableAsync(actor, templateId, cancellationToken).ConfigureAwait(false);
        RequireSharable(workspace);
        return await SetSharedAsync(workspace, actor, current, expectedVersion, shared: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task<MessageTemplate> UnshareAsync(StaffId actor, TemplateId templateId, long expectedVersion, CancellationToken cancellationToken = default)
    {
        var (workspace, current) = await RequireEditableAsync(actor, templateId, cancellationToken).ConfigureAwait(false);
        return await SetSharedAsync(workspace, actor, current, expectedVersion, shared: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The template, if <paramref name="actor"/> may see it: a member of its workspace and, unless it is shared, its
    /// owner. A personal template of someone else is reported as not found, so its existence does not leak.
    /// </summary>
    internal static async Task<(Workspace Workspace, WorkspaceMember Member, MessageTemplate Template)> RequireVisibleAsync(
        IMessagingStore store, WorkspaceAccess access, StaffId actor, TemplateId templateId, CancellationToken cancellationToken)
    {
        var template = await store.GetTemplateAsync(templateId, cancellationToken).ConfigureAwait(false)
            ?? throw Errors.TemplateNotFound(templateId);
        var (workspace, member) = await access.RequireMemberAsync(template.WorkspaceId, actor, cancellationToken).ConfigureAwait(false);
        return template.IsShared || template.Owner == actor
            ? (workspace, member, template)
            : throw Errors.TemplateNotFound(templateId);
    }

    private async Task<MessageTemplate> SetSharedAsync(
        Workspace workspace, StaffId actor, MessageTemplate current, long expectedVersion, bool shared, CancellationToken cancellationToken)
    {
        if (current.IsShared == shared && current.Version == expectedVersion)
        {
            return current;
        }

        var updated = Next(current, expectedVersion, actor) with { IsShared = shared };
        var action = shared ? AuditAction.TemplateShared : AuditAction.TemplateUnshared;
        await SaveAsync(workspace, actor, action, updated, expectedVersion, cancellationToken).ConfigureAwait(false);
        return updated;
    }

    private Task SaveAsync(Workspace workspace, StaffId actor, AuditAction action, MessageTemplate updated, long expectedVersion, CancellationToken cancellationToken)
        => store.WriteAsync(
            work =>
            {
                work.UpdateTemplate(updated, expectedVersion);
                work.AppendAudit(Changed(workspace, actor, action, updated));
            },
            cancellationToken);

    /// <summary>The template, if <paramref name="actor"/> may change it: its owner, or a workspace admin when it is shared.</summary>
    private async Task<(Workspace Workspace, MessageTemplate Template)> RequireEditableAsync(StaffId actor, TemplateId templateId, CancellationToken cancellationToken)
    {
        var (workspace, member, template) = await RequireVisibleAsync(store, access, actor, templateId, cancellationToken).ConfigureAwait(false);
        if (template.Owner != actor && !member.IsAdmin)
        {
            throw new MessagingAuthorizationException(
                MessagingErrorCodes.NotTemplateOwner,
                $"Staff member '{actor}' may not change template '{templateId}': only its owner or an admin of workspace '{workspace.Id}' may.");
        }

        return (workspace, template);
    }

    /// <summary>What an edit writes: the next version, stamped with who and when; the store refuses it if the version moved.</summary>
    private MessageTemplate Next(MessageTemplate current, long expectedVersion, StaffId actor)
        => current with { Version = expectedVersion + 1, UpdatedAt = clock.GetCurrentInstant(), UpdatedBy = actor };

    /// <summary>Checks both bodies against the placeholder registry now, so staff fix them before any patient sees one.</summary>
    private (string Body, string? HtmlBody) CheckBodies(string? body, string? htmlBody)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            throw Errors.Required("body");
        }

        CheckLength(body, "body");
        Compile(body, "body");
        if (string.IsNullOrWhiteSpace(htmlBody))
        {
            return (body, null);
        }

        CheckLength(htmlBody, "htmlBody");
        Compile(htmlBody, "htmlBody");
        return (body, htmlBody);
    }

    private void Compile(string text, string field)
    {
        try
        {
            engine.Compile(text);
        }
        catch (TemplateParseException e)
        {
            throw e.InField(field);
        }
    }

    private static void CheckLength(string text, string field)
    {
        if (text.Length > SendPreconditions.MaxEmailLength)
        {
            throw new MessagingValidationException(MessagingErrorCodes.TooLong, $"The {field} must be at most {SendPreconditions.MaxEmailLength} characters long.", field);
        }
    }

    private static void RequireSharable(Workspace workspace)
    {
        if (workspace.Kind != WorkspaceKind.Team)
        {
            throw new MessagingValidationException(
                MessagingErrorCodes.TemplateSharingNotAllowed,
                $"Workspace '{workspace.Id}' is an organisation's default workspace: templates can be shared only in a team workspace.",
                "shared");
        }
    }

    /// <summary>The audit event of a change (R19): ids and states only, never the name or text (R22).</summary>
    private AuditEvent Changed(Workspace workspace, StaffId actor, AuditAction action, MessageTemplate template)
        => Event(
            clock,
            workspace.OrganisationId,
            workspace.Id,
            AuditActor.Staff(actor),
            action,
            targetId: template.Id.ToString(),
            details: new Dictionary<string, string>
            {
                ["owner"] = template.Owner.Value,
                ["shared"] = template.IsShared ? "true" : "false",
                ["version"] = template.Version.ToString(CultureInfo.InvariantCulture),
            });
}
