using Messaging.Storage;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace Messaging.Notifications;

/// <summary>A notification to stage, with the member it goes to (for the email after commit).</summary>
internal sealed record StaffNotice(Notification Notification, WorkspaceMember Member);

/// <summary>
/// Notifies staff (R9, R17): works out who, stages the in-app <see cref="Notification"/>s in the caller's unit of work,
/// and after that commits sends each member a content-free email.
/// </summary>
/// <remarks>
/// The in-app notification is the durable record: it commits with the change that caused it. The email only says
/// "something is waiting"; it is sent once the change has committed (never for a change that did not happen),
/// best effort, through the registered email providers in order, and a failure is logged by notification id without
/// undoing anything.
/// </remarks>
internal sealed class StaffNotifier(IMessagingStore store, IEnumerable<IEmailProvider> emailProviders, SystemEmails emails, IClock clock, ILogger<StaffNotifier> logger)
{
    private readonly IEmailProvider[] _email = [.. emailProviders];

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

    /// <summary>Stages the in-app notifications in the operation's unit of work.</summary>
    public static void Stage(IMessagingUnitOfWork work, IReadOnlyList<StaffNotice> notices)
    {
        foreach (var notice in notices)
        {
            work.AddNotification(notice.Notification);
        }
    }

    /// <summary>
    /// Emails each notified member, after the change committed. Never throws for a provider's failure: the
    /// notification is already recorded in the app.
    /// </summary>
    public async Task EmailAsync(IReadOnlyList<StaffNotice> notices, SystemEmailTemplate template, CancellationToken cancellationToken)
    {
        if (notices.Count == 0)
        {
            return;
        }

        var workspace = await store.GetWorkspaceAsync(notices[0].Notification.WorkspaceId, cancellationToken).ConfigureAwait(false);
        var organisation = await store.GetOrganisationAsync(notices[0].Notification.OrganisationId, cancellationToken).ConfigureAwait(false);
        foreach (var notice in notices)
        {
            EmailSendRequest email;
            try
            {
                email = emails.Compose(template, notice.Member.Email, notice.Notification.Id.ToString(), organisation?.Name, workspace?.Name, notice.Member.DisplayName, emails.Options.StaffAppUrl);
            }
            catch (MessagingException e)
            {
                Log.NotificationEmailFailed(logger, notice.Notification.Id, "template", e.ErrorCode);
                continue;
            }

            await SendAsync(notice.Notification.Id, email, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SendAsync(NotificationId id, EmailSendRequest email, CancellationToken cancellationToken)
    {
        if (_email.Length == 0)
        {
            Log.NotificationEmailFailed(logger, id, "none", "no_provider");
            return;
        }

        var (provider, result) = await Outbox.ProviderFallback.SendAsync(
            _email,
            p => p.Name,
            p => p.SendAsync(email, cancellationToken),
            (name, e) => Log.NotificationEmailThrew(logger, e, id, name),
            ProviderSendResult.Permanent("no_provider", "No email provider is registered."),
            cancellationToken,
            failed: (name, refusal) => Log.NotificationEmailFailed(logger, id, name, refusal.ErrorCode)).ConfigureAwait(false);
        if (result.Succeeded)
        {
            Log.NotificationEmailed(logger, id, provider);
        }
    }
}
