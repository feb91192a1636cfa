using Microsoft.AspNetCore.Mvc;
using static Messaging.SampleApp.Ui.Ui;

namespace Messaging.SampleApp.Ui;

/// <summary>
/// Direct Messages (R18: the link by email, the code by SMS, the content only for someone holding both) and internal
/// staff messages (R17: never leave the app; the recipient gets a notification and a content-free email).
/// </summary>
public static class SecurePages
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/direct/new", NewDirectMessageAsync);
        app.MapPost("/direct", SendDirectMessageAsync);
        app.MapGet("/direct/{id:guid}", DirectMessageAsync);
        app.MapPost("/direct/{id:guid}/resend", ResendCodeAsync);
        app.MapGet("/internal", ThreadsAsync);
        app.MapGet("/internal/new", NewInternalMessageAsync);
        app.MapPost("/internal", SendInternalMessageAsync);
        app.MapGet("/internal/{id:guid}", ThreadAsync);
        app.MapPost("/internal/{id:guid}/reply", ReplyInternalAsync);
    }

    private static Task<IResult> NewDirectMessageAsync(HttpContext context, string? patient)
        => StaffPages.AsStaffAsync(context, (_, _) =>
        {
            var patients = Options(SampleData.Patients.Select(p => (p.PatientId.Value, $"{p.GivenName} {p.FamilyName}{(p.Email is null ? " (no email: try it to see the refusal)" : string.Empty)}")), patient);
            var html = $"""
                <p>The patient gets an email with a link and an SMS with an access code; the content (and any document) is shown
                only to someone who has both, on the unlock page. It never travels in the email or the SMS.</p>
                <form method="post" action="/direct" enctype="multipart/form-data">{Token(context)}
                <label for="patient">Patient (needs an email address and a mobile)</label><select id="patient" name="patient">{patients}</select>
                <label for="subject">Title</label><input type="text" id="subject" name="subject" required value="Your test results">
                <label for="body">Confidential message</label><textarea id="body" name="body" rows="6" required></textarea>
                <label for="attachment">Document or form (PDF, JPEG or PNG)</label><input type="file" id="attachment" name="attachment" accept="application/pdf,image/jpeg,image/png">
                <button type="submit">Send Direct Message</button>
                </form>
                """;
            return PageAsync(context, "New Direct Message", html);
        });

    private static Task<IResult> SendDirectMessageAsync(
        HttpContext context,
        [FromForm] string patient,
        [FromForm] string subject,
        [FromForm] string body,
        IFormFile? attachment,
        IDirectMessageService directMessages,
        IAttachmentService attachments,
        IOutboxDispatcher outbox)
        => StaffPages.AsStaffAsync(context, async (session, actor) =>
        {
            var files = await StaffPages.UploadAsync(attachments, actor, session.Workspace, attachment, context.RequestAborted);

            var sent = await directMessages.SendAsync(actor, new SendDirectMessageRequest
            {
                WorkspaceId = session.Workspace,
                PatientId = new PatientId(patient),
                Subject = subject,
                Body = body.Replace("\r\n", "\n", StringComparison.Ordinal),
                Attachments = files,
            }, context.RequestAborted);
            await outbox.DispatchDueAsync(context.RequestAborted);
            return Results.Redirect($"/direct/{sent.Id.Value}");
        });

    private static Task<IResult> DirectMessageAsync(HttpContext context, Guid id, IDirectMessageService directMessages)
        => StaffPages.AsStaffAsync(context, async (_, actor) =>
        {
            var messageId = new DirectMessageId(id);
            var view = await directMessages.GetAsync(actor, messageId, context.RequestAborted);
            var trail = await directMessages.GetAuditTrailAsync(actor, messageId, context.RequestAborted);
            var rows = string.Concat(trail.Select(e => $"<tr><td>{StaffPages.Time(e.OccurredAt)}</td><td>{H(e.Action.Value)}</td><td>{H(e.Actor.ToString())}</td></tr>"));
            var html = $"""
                <p>To <strong>{H(StaffPages.PatientName(view.PatientId.Value))}</strong> · <strong>{view.State}</strong> · wrong codes: {view.FailedAttempts}
                {(view.LinkExpiresAt is { } l ? $" · link expires {StaffPages.Time(l)}" : string.Empty)}</p>
                <h2>{H(view.Subject)}</h2><div class="message">{H(view.Body)}</div>
                <p>The link is in the <a href="/dev/mailbox">dev mailbox</a>, the code on the <a href="/dev/phone">dev phone</a>. <a href="/conversations/{view.ConversationId.Value}">Conversation</a></p>
                <form method="post" action="/direct/{id}/resend">{Token(context)}<button type="submit" class="secondary">Resend a new code</button></form>
                <h2>Audit trail</h2>
                <table><thead><tr><th>When</th><th>What</th><th>Who</th></tr></thead><tbody>{rows}</tbody></table>
                """;
            return await PageAsync(context, "Direct Message", html);
        });

    private static Task<IResult> ResendCodeAsync(HttpContext context, Guid id, IDirectMessageService directMessages, IOutboxDispatcher outbox)
        => StaffPages.AsStaffAsync(context, async (_, actor) =>
        {
            await directMessages.ResendCodeAsync(actor, new DirectMessageId(id), context.RequestAborted);
            await outbox.DispatchDueAsync(context.RequestAborted);
            return Results.Redirect($"/direct/{id}");
        });

    private static Task<IResult> ThreadsAsync(HttpContext context, IInternalMessageService internalMessages)
        => StaffPages.AsStaffAsync(context, async (session, actor) =>
        {
            var threads = await internalMessages.ListThreadsAsync(actor, session.Workspace, cancellationToken: context.RequestAborted);
            var rows = string.Concat(threads.Select(t => $"<tr><td><a href=\"/internal/{t.Id.Value}\">{H(t.Subject ?? "(no subject)")}</a></td><td>{H(string.Join(", ", t.Participants.Select(SampleData.StaffName)))}</td><td>{H(t.PatientId is { } p ? StaffPages.PatientName(p.Value) : string.Empty)}</td><td>{StaffPages.Time(t.LastActivityAt)}</td></tr>"));
            var html = $"""
                <p><a href="/internal/new">New internal message</a></p>
                <table><thead><tr><th>Subject</th><th>Between</th><th>About</th><th>Last activity</th></tr></thead><tbody>{rows}</tbody></table>
                {(threads.Count == 0 ? "<p>No internal messages.</p>" : string.Empty)}
                """;
            return await PageAsync(context, "Internal messages", html);
        });

    private static Task<IResult> NewInternalMessageAsync(HttpContext context, IWorkspaceService workspaces)
        => StaffPages.AsStaffAsync(context, async (session, actor) =>
        {
            var members = await workspaces.ListMembersAsync(actor, session.Workspace, context.RequestAborted);
            var recipients = string.Concat(members.Where(m => m.StaffId != actor).Select(m =>
                $"<p class=\"check\"><input type=\"checkbox\" id=\"to-{H(m.StaffId.Value)}\" name=\"recipients\" value=\"{H(m.StaffId.Value)}\"> <label for=\"to-{H(m.StaffId.Value)}\">{H(m.DisplayName)}</label></p>"));
            var teams = string.Concat((await workspaces.ListTeamsAsync(actor, session.Workspace, context.RequestAborted)).Select(t =>
                $"<p class=\"check\"><input type=\"checkbox\" id=\"team-{H(t.Id.Value)}\" name=\"teams\" value=\"{H(t.Id.Value)}\"> <label for=\"team-{H(t.Id.Value)}\">{H(t.Name)} (everyone in the team)</label></p>"));
            var patients = Options([(string.Empty, "(no patient)"), .. SampleData.Patients.Select(p => (p.PatientId.Value, $"{p.GivenName} {p.FamilyName}"))], null);
            var html = $"""
                <p>Internal messages stay inside the app: the recipient gets a notification and an email saying only that a secure message is waiting.</p>
                <form method="post" action="/internal">{Token(context)}
                <fieldset><legend>To</legend>{recipients}{teams}</fieldset>
                <label for="patient">About a patient (optional)</label><select id="patient" name="patient">{patients}</select>
                <label for="subject">Subject</label><input type="text" id="subject" name="subject">
                <label for="body">Message</label><textarea id="body" name="body" rows="5" required></textarea>
                <button type="submit">Send internal message</button>
                </form>
                """;
            return await PageAsync(context, "New internal message", html);
        });

    // The whole form (a string[] parameter trips minimal APIs' binder on .NET 10, which finds string.TryParse).
    private static Task<IResult> SendInternalMessageAsync(HttpContext context, IFormCollection form, IInternalMessageService internalMessages)
        => StaffPages.AsStaffAsync(context, async (session, actor) =>
        {
            var recipients = form["recipients"].Where(r => !string.IsNullOrEmpty(r)).Select(r => r!).ToList();
            var patient = form["patient"].ToString();
            var subject = form["subject"].ToString();
            var body = form["body"].ToString();
            var thread = await internalMessages.SendAsync(actor, new SendInternalMessageRequest
            {
                WorkspaceId = session.Workspace,
                Recipients = [.. recipients.Select(r => new StaffId(r))],
                Teams = [.. form["teams"].Where(t => !string.IsNullOrEmpty(t)).Select(t => new TeamId(t!))],
                PatientId = string.IsNullOrEmpty(patient) ? null : new PatientId(patient),
                Subject = string.IsNullOrWhiteSpace(subject) ? null : subject,
                Body = body.Replace("\r\n", "\n", StringComparison.Ordinal),
            }, context.RequestAborted);
            return Results.Redirect($"/internal/{thread.Thread.Id.Value}");
        });

    private static Task<IResult> ThreadAsync(HttpContext context, Guid id, IInternalMessageService internalMessages)
        => StaffPages.AsStaffAsync(context, async (_, actor) =>
        {
            var view = await internalMessages.GetThreadAsync(actor, new ConversationId(id), context.RequestAborted);
            var items = string.Concat(view.Messages.Select(m => $"<div class=\"message\"><p class=\"meta\">{H(SampleData.StaffName(m.SentBy))} · {StaffPages.Time(m.CreatedAt)}</p>{H(m.Body)}</div>"));
            var about = view.Thread.PatientId is { } p ? $"<p>About <a href=\"/patients/{H(p.Value)}\">{H(StaffPages.PatientName(p.Value))}</a></p>" : string.Empty;
            var html = $"""
                <p>Between {H(string.Join(", ", view.Thread.Participants.Select(SampleData.StaffName)))}</p>{about}
                {items}
                <form method="post" action="/internal/{id}/reply">{Token(context)}
                <label for="body">Reply</label><textarea id="body" name="body" rows="4" required></textarea>
                <button type="submit">Reply</button>
                </form>
                """;
            return await PageAsync(context, view.Thread.Subject ?? "Internal message", html);
        });

    private static Task<IResult> ReplyInternalAsync(HttpContext context, Guid id, [FromForm] string body, IInternalMessageService internalMessages)
        => StaffPages.AsStaffAsync(context, async (_, actor) =>
        {
            await internalMessages.ReplyAsync(actor, new ConversationId(id), body.Replace("\r\n", "\n", StringComparison.Ordinal), context.RequestAborted);
            return Results.Redirect($"/internal/{id}");
        });
}
