using Messaging.Storage;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace Messaging.Notifications;

/// <summary>A notification to stage, with the member it goes to.</summary>
internal sealed record StaffNotice(Notification Notification, WorkspaceMember Member);

/// <summary>
/// Notifies staff (R9, R17): works out who, and stages in the caller's unit of work each member's in-app
/// <see cref="Notification"/> together with an outbox entry for its content-free email.
/// </summary>
/// <remarks>
/// The in-app notification is the durable record: it commits with the change that caused it, and so does its email's
/// outbox entry (keyed by the notification's id, see <see cref="OutboxEntry"/>). The caller returns at once; the outbox
/// dispatcher sends the email like any other message (R20): fenced, with retries and backoff up to
/// <see cref="Outbox.OutboxOptions.MaxAttempts"/>, one entry's failure never affecting another, and a crash after the
/// commit losing nothing. A failure is logged by notification id only, without undoing anything.
/// </remarks>
internal sealed class StaffNotifier(IMessagingStore store, SystemEmails emails, IClock clock, ILogger<StaffNotifier> logger)
{
    /// <summary>The host's system email templates.</summary>
    public SystemEmailOptions Templates => emails.Options;

    /// <summary>The conversation's assignee, or every current member of its assigned team (R9).</summary>
    public async Task<IReadOnlyList<StaffNotice>> PlanForAssigneeAsync(
        Conversation conversation, NotificationKind kind, MessageId? messageId, CancellationToken cancellationToken)
    {
        IEnumerable<StaffId> recipients = conversation.Assignee.Kind switch
        {
            AssigneeKind.Staff => [conversation.Assignee.StaffId!.Value],
            AssigneeKind.Team => (await store.GetTeamAsync(conversation.WorkspaceId, conversation.Assignee.TeamId!.Value, cancellationToken).ConfigureAwait(false))?.Members ?? [],
            _ => [],
        };
        return await PlanAsync(conversation.OrganisationId, conversation.WorkspaceId, recipients, kind, conversation.Id, messageId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Notices for the given staff, skipping anyone who is no longer a member of the workspace.</summary>
    public async Task<IReadOnlyList<StaffNotice>> PlanAsync(
        OrganisationId organisationId, WorkspaceId workspaceId, IEnumerable<StaffId> recipients, NotificationKind kind,
        ConversationId? conversationId, MessageId? messageId, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var notices = new List<StaffNotice>();
        foreach (var staffId in recipients.Distinct())
        {
            if (await store.GetMemberAsync(workspaceId, staffId, cancellationToken).ConfigureAwait(false) is not { } member)
            {
                continue; // left the workspace since the assignment: they may no longer see its patients
            }

            notices.Add(new StaffNotice(
                new Notification
                {
                    Id = NotificationId.New(),
                    OrganisationId = organisationId,
                    WorkspaceId = workspaceId,
                    Recipient = staffId,
                    Kind = kind,
                    ConversationId = conversationId,
                    MessageId = messageId,
                    CreatedAt = now,
                },
                member));
        }

        return notices;
    }

    /// <summary>
    /// Stages the in-app notifications in the operation's unit of work, each with the outbox entry of its email, due now.
    /// After the commit the caller wakes the dispatcher (<see cref="Outbox.OutboxSignal.Committed"/>).
    /// </summary>
    public static void Stage(IMessagingUnitOfWork work, IReadOnlyList<StaffNotice> notices)
    {
        foreach (var notice in notices)
        {
            work.AddNotification(notice.Notification);
            work.AddOutboxEntry(new OutboxEntry(EmailEntryId(notice.Notification.Id), 0, notice.Notification.CreatedAt));
        }
    }

    /// <summary>The outbox entry of a notification's email: the notification's id (see <see cref="OutboxEntry"/>).</summary>
    public static MessageId EmailEntryId(NotificationId id) => new(id.Value);

    /// <summary>
    /// The email of a notification whose outbox entry is due, composed now from its member's current record and the host's
    /// templates; or <see langword="null"/> (logged) when there is nothing to send: the member left the workspace, the
    /// kind has no email, or the template failed.
    /// </summary>
    public async Task<EmailSendRequest?> ComposeEmailAsync(Notification notification, CancellationToken cancellationToken)
    {
        var template = notification.Kind == NotificationKind.PatientReplied ? emails.Options.PatientReplyNotification
            : notification.Kind == NotificationKind.InternalMessage ? emails.Options.InternalMessageNotification
            : null;
        if (template is null)
        {
            Log.NotificationEmailFailed(logger, notification.Id, "none", "no_template");
            return null;
        }

        if (await store.GetMemberAsync(notification.WorkspaceId, notification.Recipient, cancellationToken).ConfigureAwait(false) is not { } member)
        {
            Log.NotificationEmailFailed(logger, notification.Id, "none", "not_a_member");
            return null;
        }

        var workspace = await store.GetWorkspaceAsync(notification.WorkspaceId, cancellationToken).ConfigureAwait(false);
        var organisation = await store.GetOrganisationAsync(notification.OrganisationId, cancellationToken).ConfigureAwait(false);
        try
        {
            return emails.Compose(template, member.Email, notification.Id.ToString(), organisation?.Name, workspace?.Name, member.DisplayName, emails.Options.StaffAppUrl);
        }
        catch (MessagingException e)
        {
            Log.NotificationEmailFailed(logger, notification.Id, "template", e.ErrorCode);
            return null;
        }
    }
}
