using System.Globalization;
using Messaging.Notifications;
using Messaging.Storage;
using Messaging.Workspaces;
using Microsoft.Extensions.Logging;
using NodaTime;
using static Messaging.Audit.Audit;

namespace Messaging.StaffMessages;

/// <summary>
/// Internal messages (R17): a thread, its messages, each recipient's in-app notification and the outbox entry of its
/// content-free "you have a secure message" email commit together; the dispatcher sends the emails. Nothing here ever reaches an SMS provider or
/// puts a message's content, subject or patient into an email.
/// </summary>
internal sealed class InternalMessageService(
    IMessagingStore store,
    WorkspaceAccess access,
    StaffNotifier notifier,
    IClock clock,
    Outbox.OutboxSignal outbox,
    ILogger<InternalMessageService> logger) : IInternalMessageService
{
    internal const int MaxRecipients = 20;
    internal const int MaxTeams = 5;
    internal const int MaxParticipants = 200;
    internal const int MaxBodyLength = 10_000;
    internal const int MaxSubjectLength = 200;
    internal const int MaxListLimit = 100;
    private const int MaxThreadRaces = 5;

    public async Task<InternalThreadView> SendAsync(StaffId actor, SendInternalMessageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = RequireBody(request.Body);
        var subject = request.Subject is null ? null : Errors.RequireText(request.Subject, "subject", MaxSubjectLength);
        var named = request.Recipients ?? [];
        var teams = request.Teams ?? [];
        if (named.Count > MaxRecipients || teams.Count > MaxTeams || (named.Count == 0 && teams.Count == 0))
        {
            throw new MessagingValidationException(MessagingErrorCodes.OutOfRange, $"An internal message goes to up to {MaxRecipients} colleagues and up to {MaxTeams} teams, and to at least one of either.", "recipients");
        }

        if (named.Contains(actor))
        {
            throw new MessagingValidationException(MessagingErrorCodes.OutOfRange, "The sender cannot be one of the recipients.", "recipients");
        }

        var workspace = (await access.RequireMemberAsync(request.WorkspaceId, actor, cancellationToken).ConfigureAwait(false)).Workspace;
        var recipients = named.Distinct().ToList();
        foreach (var recipient in recipients)
        {
            if (await store.GetMemberAsync(workspace.Id, recipient, cancellationToken).ConfigureAwait(false) is null)
            {
                throw Errors.MemberNotFound(workspace.Id, recipient);
            }
        }

        // A team's current members join the thread as recipients: each is notified and any may reply (R17).
        foreach (var teamId in teams.Distinct())
        {
            var team = await store.GetTeamAsync(workspace.Id, teamId, cancellationToken).ConfigureAwait(false)
                ?? throw Errors.TeamNotFound(workspace.Id, teamId);
            var members = new List<StaffId>();
            foreach (var member in team.Members.Where(m => m != actor))
            {
                if (await store.GetMemberAsync(workspace.Id, member, cancellationToken).ConfigureAwait(false) is not null)
                {
                    members.Add(member);
                }
            }

            if (members.Count == 0)
            {
                throw new MessagingValidationException(MessagingErrorCodes.TeamEmpty, $"Team '{teamId}' has no member other than the sender to receive the message.", "teams");
            }

            recipients.AddRange(members.Where(m => !recipients.Contains(m)));
        }

        if (recipients.Count + 1 > MaxParticipants)
        {
            throw new MessagingValidationException(MessagingErrorCodes.OutOfRange, $"An internal thread has at most {MaxParticipants} participants.", "teams");
        }

        if (request.PatientId is { } patientId && await store.GetPatientAsync(workspace.OrganisationId, patientId, cancellationToken).ConfigureAwait(false) is null)
        {
            throw Errors.PatientNotFound(patientId);
        }

        var now = clock.GetCurrentInstant();
        var thread = new InternalThread
        {
            Id = ConversationId.New(),
            OrganisationId = workspace.OrganisationId,
            WorkspaceId = workspace.Id,
            PatientId = request.PatientId,
            Subject = subject,
            StartedBy = actor,
            Participants = [actor, .. recipients],
            CreatedAt = now,
            LastActivityAt = now,
            Version = 1,
        };
        var message = NewMessage(thread, actor, body, now);
        var notices = await notifier.PlanAsync(thread.OrganisationId, thread.WorkspaceId, recipients, NotificationKind.InternalMessage, thread.Id, message.Id, cancellationToken).ConfigureAwait(false);
        await store.WriteAsync(
            work =>
            {
                work.AddInternalThread(thread);
                work.AddInternalMessage(message);
                StaffNotifier.Stage(work, notices);
                work.AppendAudit(SentEvent(thread, message, recipients.Count));
            },
            cancellationToken).ConfigureAwait(false);
        Log.InternalMessageSent(logger, thread.Id, message.Id, notices.Count);
        outbox.Committed(); // the emails are queued with the message: the dispatcher sends them
        return new InternalThreadView(thread, [message]);
    }

    public async Task<InternalMessage> ReplyAsync(StaffId actor, ConversationId threadId, string body, CancellationToken cancellationToken = default)
    {
        var text = RequireBody(body);

        // A colleague replying at the same moment makes the commit fail with nothing written: read the thread again.
        var (message, notices) = await ConcurrencyRetry.RunAsync(MaxThreadRaces, async () =>
        {
            var thread = await RequireParticipantAsync(actor, threadId, cancellationToken).ConfigureAwait(false);
            var now = clock.GetCurrentInstant();
            var message = NewMessage(thread, actor, text, now);
            var others = thread.Participants.Where(p => p != actor).ToList();
            var notices = await notifier.PlanAsync(thread.OrganisationId, thread.WorkspaceId, others, NotificationKind.InternalMessage, thread.Id, message.Id, cancellationToken).ConfigureAwait(false);
            await store.WriteAsync(
                work =>
                {
                    work.UpdateInternalThread(thread with { LastActivityAt = now, Version = thread.Version + 1 }, thread.Version);
                    work.AddInternalMessage(message);
                    StaffNotifier.Stage(work, notices);
                    work.AppendAudit(SentEvent(thread, message, others.Count));
                },
                cancellationToken).ConfigureAwait(false);
            return (message, notices);
        }).ConfigureAwait(false);

        Log.InternalMessageSent(logger, threadId, message.Id, notices.Count);
        outbox.Committed(); // the emails are queued with the message: the dispatcher sends them
        return message;
    }

    public async Task<InternalThreadView> GetThreadAsync(StaffId actor, ConversationId threadId, CancellationToken cancellationToken = default)
    {
        var thread = await RequireParticipantAsync(actor, threadId, cancellationToken).ConfigureAwait(false);
        var messages = await store.ListInternalMessagesAsync(threadId, cancellationToken).ConfigureAwait(false);
        await store.WriteAsync(
            work => work.AppendAudit(Event(clock, thread.OrganisationId, thread.WorkspaceId, AuditActor.Staff(actor), AuditAction.InternalThreadViewed, thread.PatientId, thread.Id.ToString())),
            cancellationToken).ConfigureAwait(false);
        return new InternalThreadView(thread, messages);
    }

    public async Task<IReadOnlyList<InternalThread>> ListThreadsAsync(StaffId actor, WorkspaceId workspaceId, int limit = 25, CancellationToken cancellationToken = default)
    {
        if (limit is < 1 or > MaxListLimit)
        {
            throw new MessagingValidationException(MessagingErrorCodes.OutOfRange, $"The limit must be between 1 and {MaxListLimit}.", "limit");
        }

        await access.RequireMemberAsync(workspaceId, actor, cancellationToken).ConfigureAwait(false);
        return await store.ListInternalThreadsAsync(workspaceId, actor, limit, cancellationToken).ConfigureAwait(false);
    }

    private async Task<InternalThread> RequireParticipantAsync(StaffId actor, ConversationId threadId, CancellationToken cancellationToken)
    {
        var thread = await store.GetInternalThreadAsync(threadId, cancellationToken).ConfigureAwait(false)
            ?? throw new MessagingNotFoundException(MessagingErrorCodes.InternalThreadNotFound, $"Internal thread '{threadId}' was not found.");
        await access.RequireMemberAsync(thread.WorkspaceId, actor, cancellationToken).ConfigureAwait(false);
        return thread.Participants.Contains(actor)
            ? thread
            : throw new MessagingAuthorizationException(MessagingErrorCodes.NotAParticipant, $"Staff member '{actor}' does not take part in internal thread '{threadId}'.");
    }

    private static string RequireBody(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            throw Errors.Required("body");
        }

        return body.Length <= MaxBodyLength
            ? body
            : throw new MessagingValidationException(MessagingErrorCodes.TooLong, $"An internal message must be at most {MaxBodyLength} characters long.", "body");
    }

    private static InternalMessage NewMessage(InternalThread thread, StaffId actor, string body, Instant now) => new()
    {
        Id = MessageId.New(),
        ThreadId = thread.Id,
        OrganisationId = thread.OrganisationId,
        WorkspaceId = thread.WorkspaceId,
        SentBy = actor,
        Body = body,
        CreatedAt = now,
    };

    private AuditEvent SentEvent(InternalThread thread, InternalMessage message, int recipients)
        => Event(clock, thread.OrganisationId, thread.WorkspaceId, AuditActor.Staff(message.SentBy), AuditAction.InternalMessageSent, thread.PatientId, thread.Id.ToString(),
            new Dictionary<string, string> { ["message"] = message.Id.ToString(), ["recipients"] = recipients.ToString(CultureInfo.InvariantCulture) });
}
