using System.Globalization;
using Messaging.Templates;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using static Messaging.SampleApp.Ui.Ui;

namespace Messaging.SampleApp.Ui;

/// <summary>
/// The staff side of the sample EHR: act as a staff member, send (template, attachment, allow reply), the inbox views,
/// a conversation, a patient's My/All conversations, notifications. Each handler shows the SDK call it makes.
/// </summary>
public static class StaffPages
{
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];

    public static void Map(WebApplication app)
    {
        app.MapGet("/", (Delegate)HomeAsync);
        app.MapPost("/act-as", ActAs);
        app.MapGet("/send", SendFormAsync);
        app.MapPost("/send", SendAsync);
        app.MapGet("/inbox", InboxAsync);
        app.MapGet("/conversations/{id:guid}", ConversationAsync);
        app.MapPost("/conversations/{id:guid}/assign", AssignAsync);
        app.MapPost("/conversations/{id:guid}/status", SetStatusAsync);
        app.MapPost("/conversations/{id:guid}/unread", MarkUnreadAsync);
        app.MapGet("/attachments/{id:guid}", DownloadAsync);
        app.MapGet("/patients", (Delegate)PatientsAsync);
        app.MapGet("/patients/find", FindPatientAsync);
        app.MapGet("/patients/{id}", PatientAsync);
        app.MapGet("/notifications", NotificationsAsync);
        app.MapPost("/notifications/{id:guid}/open", OpenNotificationAsync);
        app.MapPost("/notifications/read-all", ReadAllNotificationsAsync);
    }

    private static Task<IResult> HomeAsync(HttpContext context)
    {
        var session = StaffSession.From(context);
        var staff = Options(SampleData.Staff.Select(s => (s.Id.Value, $"{s.Name} ({s.Role})")), session.Actor?.Value);
        var workspaces = Options([(SampleData.Dermatology.Value, WorkspaceName(SampleData.Dermatology) + " (shared inbox)"), (SampleData.TrustWorkspace.Value, WorkspaceName(SampleData.TrustWorkspace) + " (default workspace)")], session.Workspace.Value);
        var body = $"""
            <p>This sample EHR shows every feature of the Patient Messaging SDK with no credentials: SMS and email go to the
            <a href="/dev/phone">dev phone</a> and the <a href="/dev/mailbox">dev mailbox</a>, whose links you can click as the patient would.</p>
            <form method="post" action="/act-as">{Token(context)}
            <label for="staff">Act as</label><select id="staff" name="staff">{staff}</select>
            <label for="workspace">Workspace</label><select id="workspace" name="workspace">{workspaces}</select>
            <button type="submit">Act as this staff member</button>
            </form>
            <h2>A walk through</h2>
            <ol>
            <li>As Dr Alice Adams, <a href="/send">send Jane Doe an SMS</a> with a template, an attachment and <em>Allow patient to reply</em>.</li>
            <li>Open the <a href="/dev/phone">dev phone</a> and click the reply link, as Jane would; reply. Open the link again: it has been used.</li>
            <li>Back as Alice, see the reply in the <a href="/inbox">inbox</a> and the <a href="/notifications">notification</a> (and its content-free email in the <a href="/dev/mailbox">dev mailbox</a>).</li>
            <li>Assign the conversation to the Dermatology nurses; act as Bob Brown and find it under <em>Assigned to</em> the team.</li>
            <li>Look Jane up by NHS number 943 476 5919 and date of birth 1970-03-14 under <a href="/patients">Patients</a>: <em>My</em> and <em>All conversations</em>, and the <em>Messages</em> tab.</li>
            <li>Send Jane a <a href="/direct/new">Direct Message</a> with a document. Open the link from the <a href="/dev/mailbox">dev mailbox</a> and type the code from the <a href="/dev/phone">dev phone</a>; five wrong codes lock it until you resend a code.</li>
            <li>Send Bob, or the whole Dermatology nurses team, an <a href="/internal/new">internal message</a> about Jane; act as Bob to see the notification and reply.</li>
            <li>On the <a href="/dev/phone">dev phone</a>, report a message <em>Delivered</em>, <em>Undelivered</em> or <em>Failed</em> as the provider would, and text STOP from a patient's phone.</li>
            <li>Manage <a href="/templates">templates</a> (create, edit, share, unshare, delete) and buy SMS <a href="/credits">credits</a> as Alice (a nurse is refused).</li>
            <li>Switch <a href="/workspaces">workspace</a> (with unread counts); as Alice, add Dan, a team or a team workspace under <a href="/admin">Admin</a>.</li>
            </ol>
            <p>The sample's README walks through both product guides step by step.</p>
            """;
        return PageAsync(context, "Patient messaging", body);
    }

    private static IResult ActAs([FromForm] string staff, [FromForm] string workspace, HttpContext context)
    {
        var options = new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true };
        context.Response.Cookies.Append(StaffSession.StaffCookie, staff, options);
        context.Response.Cookies.Append(StaffSession.WorkspaceCookie, workspace, options);
        return Results.Redirect("/");
    }

    private static async Task<IResult> SendFormAsync(HttpContext context, string? patient, Guid? conversation, Guid? template, string? channel, ITemplateService templates, ITemplateMessageService templateMessages)
    {
        return await AsStaffAsync(context, async (session, actor) =>
        {
            Conversation? existing = null;
            if (conversation is { } c)
            {
                existing = await context.RequestServices.GetRequiredService<IConversationService>().GetAsync(actor, new ConversationId(c), context.RequestAborted);
                patient = existing.PatientId.Value;
            }

            patient ??= SampleData.Patients[0].PatientId.Value;
            var isEmail = channel == "email";
            var available = await templates.ListAsync(actor, session.Workspace, context.RequestAborted);
            RenderedTemplate? preview = null;
            if (template is { } t)
            {
                // R16: the SDK renders the saved template for this patient (a missing value fails, never half a message)
                // and says what it costs as SMS, reply and download links included.
                preview = await templateMessages.RenderAsync(actor, new TemplateMessageRequest
                {
                    WorkspaceId = session.Workspace,
                    TemplateId = new TemplateId(t),
                    Channel = isEmail ? MessageChannel.Email : MessageChannel.Sms,
                    ConversationId = existing?.Id,
                    PatientId = existing is null ? new PatientId(patient) : null,
                    Subject = isEmail ? "Message from Northshire NHS Trust" : null,
                }, context.RequestAborted);
            }

            var patientOptions = Options(SampleData.Patients.Select(p => (p.PatientId.Value, $"{p.GivenName} {p.FamilyName} ({p.NhsNumber ?? "no NHS number"})")), patient);
            var templateOptions = Options(
                [(string.Empty, "(no template: write the message)"), .. available.Shared.Concat(available.Personal).Select(x => (x.Id.Value.ToString(), x.IsShared ? x.Name + " (shared)" : x.Name))],
                template?.ToString());
            var channelOptions = Options([("sms", "SMS"), ("email", "Email")], isEmail ? "email" : "sms");
            var patientField = existing is null
                ? $"<label for=\"patient\">Patient</label><select id=\"patient\" name=\"patient\">{patientOptions}</select>"
                : $"<input type=\"hidden\" name=\"conversation\" value=\"{existing.Id.Value}\"><p>Continuing the conversation with <strong>{H(PatientName(patient))}</strong>.</p>";
            var bodyField = preview is null
                ? "<label for=\"body\">Message</label><textarea id=\"body\" name=\"body\" rows=\"6\" required></textarea>"
                : $"""
                  <input type="hidden" name="template" value="{template}">
                  <label for="body">Message (from the template, rendered for {H(PatientName(patient))})</label><textarea id="body" rows="6" readonly>{H(preview.Body)}</textarea>
                  <p class="meta">{(isEmail ? "Email" : $"{preview.Segments} SMS part(s), {preview.Credits} credit(s) before any reply or download link is added")}</p>
                  """;
            var html = $"""
                <form method="get" action="/send">
                {(existing is null ? $"<label for=\"tpatient\">Patient</label><select id=\"tpatient\" name=\"patient\">{patientOptions}</select>" : $"<input type=\"hidden\" name=\"conversation\" value=\"{existing.Id.Value}\">")}
                <label for="template">Template</label><select id="template" name="template">{templateOptions}</select>
                <label for="tchannel">Channel</label><select id="tchannel" name="channel">{channelOptions}</select>
                <button type="submit" class="secondary">Use template</button>
                </form>
                <hr>
                <form method="post" action="/send" enctype="multipart/form-data">{Token(context)}
                {patientField}
                <input type="hidden" name="channel" value="{(isEmail ? "email" : "sms")}">
                <p>Channel: <strong>{(isEmail ? "Email" : "SMS")}</strong> (choose above)</p>
                {(isEmail ? "<label for=\"subject\">Email subject</label><input type=\"text\" id=\"subject\" name=\"subject\" value=\"Message from Northshire NHS Trust\">" : string.Empty)}
                {bodyField}
                <label for="attachment">Attach a file (PDF, JPEG or PNG)</label><input type="file" id="attachment" name="attachment" accept="application/pdf,image/jpeg,image/png">
                <p class="check"><input type="checkbox" id="allowReply" name="allowReply" value="true"> <label for="allowReply">Allow patient to reply</label></p>
                <button type="submit">Send</button>
                </form>
                """;
            return await PageAsync(context, existing is null ? "New message" : "Message patient", html);
        });
    }

    private static async Task<IResult> SendAsync(
        HttpContext context,
        [FromForm] string? patient,
        [FromForm] string channel,
        [FromForm] string? body,
        [FromForm] string? subject,
        [FromForm] string? allowReply,
        [FromForm] Guid? conversation,
        [FromForm] Guid? template,
        IFormFile? attachment,
        IMessageService messages,
        ITemplateMessageService templateMessages,
        IAttachmentService attachments,
        IOutboxDispatcher outbox)
    {
        return await AsStaffAsync(context, async (session, actor) =>
        {
            var files = await StaffPages.UploadAsync(attachments, actor, session.Workspace, attachment, context.RequestAborted);

            var isEmail = channel == "email";
            var conversationId = conversation is { } c ? new ConversationId(c) : (ConversationId?)null;
            var patientId = conversation is null && patient is not null ? new PatientId(patient) : (PatientId?)null;
            var message = template is { } t
                ? await templateMessages.SendAsync(actor, new TemplateMessageRequest
                {
                    WorkspaceId = session.Workspace,
                    TemplateId = new TemplateId(t),
                    Channel = isEmail ? MessageChannel.Email : MessageChannel.Sms,
                    ConversationId = conversationId,
                    PatientId = patientId,
                    Subject = isEmail ? subject : null,
                    AllowReply = allowReply is not null,
                    Attachments = files,
                }, context.RequestAborted)
                : await messages.SendAsync(actor, new SendMessageRequest
                {
                    WorkspaceId = session.Workspace,
                    Channel = isEmail ? MessageChannel.Email : MessageChannel.Sms,
                    ConversationId = conversationId,
                    PatientId = patientId,
                    Body = (body ?? string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal),
                    Subject = isEmail ? subject : null,
                    AllowReply = allowReply is not null,
                    Attachments = files,
                }, context.RequestAborted);

            // The SDK's background dispatcher would send it within a second; the sample drains the outbox at once so the
            // dev phone shows the message as soon as the page loads.
            await outbox.DispatchDueAsync(context.RequestAborted);
            return Results.Redirect($"/conversations/{message.ConversationId.Value}");
        });
    }

    private static async Task<IResult> InboxAsync(HttpContext context, string? view, string? status, bool? unread, string? page, IInboxService inbox, IWorkspaceService workspaces)
    {
        view ??= "mine";
        return await AsStaffAsync(context, async (session, actor) =>
        {
            var teams = await workspaces.ListTeamsAsync(actor, session.Workspace, context.RequestAborted);
            var members = await workspaces.ListMembersAsync(actor, session.Workspace, context.RequestAborted);
            var inboxView = view switch
            {
                "sent" => InboxView.SentBy(actor),
                "all" => InboxView.All,
                _ when view.StartsWith("team:", StringComparison.Ordinal) => InboxView.AssignedTo(new TeamId(view[5..])),
                _ when view.StartsWith("staff:", StringComparison.Ordinal) => InboxView.AssignedTo(new StaffId(view[6..])),
                _ => InboxView.AssignedTo(actor),
            };
            var filter = status switch { "done" => ConversationStatusFilter.Done, "any" => ConversationStatusFilter.Any, _ => ConversationStatusFilter.Open };
            var result = await inbox.GetPageAsync(actor, new InboxRequest
            {
                WorkspaceId = session.Workspace,
                View = inboxView,
                Status = filter,
                UnreadOnly = unread == true,
                PageToken = page,
            }, context.RequestAborted);
            var counts = await inbox.GetUnreadCountsAsync(actor, session.Workspace, context.RequestAborted);

            string Link(string v, string label, int? count = null)
                => $"<li><a href=\"/inbox?view={Uri.EscapeDataString(v)}\"{(v == view ? " aria-current=\"page\"" : string.Empty)}>{H(label)}</a>{(count > 0 ? $" <span class=\"badge\">{count}</span>" : string.Empty)}</li>";
            var views = "<ul>" + Link("mine", "Assigned to me", counts.AssignedToMe) + Link("sent", "Sent by me", counts.SentByMe)
                + string.Concat(teams.Select(t => Link("team:" + t.Id.Value, "Assigned to " + t.Name, counts.AssignedToMyTeams.TryGetValue(t.Id, out var n) ? n : null)))
                + string.Concat(members.Where(m => m.StaffId != actor).Select(m => Link("staff:" + m.StaffId.Value, "Assigned to " + m.DisplayName)))
                + Link("all", "All conversations") + "</ul>";
            var rows = string.Concat(result.Items.Select(item => $"""
                <tr class="{(item.IsUnread ? "unread" : string.Empty)}"><td><a href="/conversations/{item.Conversation.Id.Value}">{H(PatientName(item.Conversation.PatientId.Value))}</a>{(item.IsUnread ? " <span class=\"badge\">unread</span>" : string.Empty)}</td>
                <td>{H(AssigneeName(item.Conversation.Assignee, teams))}</td><td>{item.Conversation.Status}</td><td>{Time(item.Conversation.LastActivityAt)}</td></tr>
                """));
            var next = result.NextPageToken is { } token ? $"<p><a href=\"/inbox?view={Uri.EscapeDataString(view)}&amp;status={H(status)}&amp;page={Uri.EscapeDataString(token)}\">Next page</a></p>" : string.Empty;
            var html = $"""
                <nav aria-label="Inbox views">{views}</nav>
                <p><a href="/inbox?view={Uri.EscapeDataString(view)}&amp;status=open">Open</a> · <a href="/inbox?view={Uri.EscapeDataString(view)}&amp;status=done">Done</a> · <a href="/inbox?view={Uri.EscapeDataString(view)}&amp;status=any">Any</a> · <a href="/inbox?view={Uri.EscapeDataString(view)}&amp;unread=true">Unread only</a></p>
                <table aria-label="Conversations"><thead><tr><th>Patient</th><th>Assigned to</th><th>Status</th><th>Last activity</th></tr></thead><tbody>{rows}</tbody></table>
                {(result.Items.Count == 0 ? "<p>No conversations in this view.</p>" : string.Empty)}{next}
                """;
            return await PageAsync(context, "Inbox", html);
        });
    }

    private static async Task<IResult> ConversationAsync(HttpContext context, Guid id, IConversationService conversations, IMessageService messages, IWorkspaceService workspaces)
    {
        return await AsStaffAsync(context, async (session, actor) =>
        {
            var conversationId = new ConversationId(id);
            var conversation = await conversations.GetAsync(actor, conversationId, context.RequestAborted);
            var thread = await messages.ListAsync(actor, conversationId, context.RequestAborted);
            await conversations.MarkReadAsync(actor, conversationId, context.RequestAborted);
            var teams = await workspaces.ListTeamsAsync(actor, conversation.WorkspaceId, context.RequestAborted);
            var members = await workspaces.ListMembersAsync(actor, conversation.WorkspaceId, context.RequestAborted);
            var items = string.Concat(thread.Select(m =>
            {
                var who = m.Direction == MessageDirection.Inbound ? "Patient replied through the secure link" : $"{SampleData.StaffName(m.SentBy!.Value)} · {m.Channel} · {m.Status}{(m.AllowReply ? " · reply allowed" : string.Empty)}";
                var files = string.Concat(m.Attachments.Select(a => $" · <a href=\"/attachments/{a.Value}\">attachment</a>"));
                return $"<div class=\"message{(m.Direction == MessageDirection.Inbound ? " in" : string.Empty)}\"><p class=\"meta\">{H(who)} · {Time(m.CreatedAt)}{files}</p>{H(m.Body)}</div>";
            }));
            var assignees = Options(
                members.Select(m => ("staff:" + m.StaffId.Value, m.DisplayName)).Concat(teams.Select(t => ("team:" + t.Id.Value, t.Name))),
                (conversation.Assignee.Kind == AssigneeKind.Team ? "team:" : "staff:") + conversation.Assignee.Id);
            var html = $"""
                <p>With <strong>{H(PatientName(conversation.PatientId.Value))}</strong> · assigned to <strong>{H(AssigneeName(conversation.Assignee, teams))}</strong> · {conversation.Status}</p>
                <p><a href="/send?conversation={id}">Message patient</a> · <a href="/patients/{H(conversation.PatientId.Value)}">Patient's conversations</a></p>
                {items}
                <form method="post" action="/conversations/{id}/assign">{Token(context)}<label for="assignee">Assign to</label><select id="assignee" name="assignee">{assignees}</select> <button type="submit">Assign</button></form>
                <form method="post" action="/conversations/{id}/status" class="inline">{Token(context)}<input type="hidden" name="status" value="{(conversation.Status == ConversationStatus.Open ? "done" : "open")}"><button type="submit" class="secondary">{(conversation.Status == ConversationStatus.Open ? "Mark done" : "Reopen")}</button></form>
                <form method="post" action="/conversations/{id}/unread" class="inline">{Token(context)}<button type="submit" class="secondary">Mark unread</button></form>
                """;
            return await PageAsync(context, "Conversation", html);
        });
    }

    private static async Task<IResult> AssignAsync(HttpContext context, Guid id, [FromForm] string assignee, IConversationService conversations)
    {
        return await AsStaffAsync(context, async (session, actor) =>
        {
            var target = assignee.StartsWith("team:", StringComparison.Ordinal) ? Assignee.Team(new TeamId(assignee[5..])) : Assignee.Staff(new StaffId(assignee[6..]));
            await conversations.AssignAsync(actor, new ConversationId(id), target, cancellationToken: context.RequestAborted);
            return Results.Redirect($"/conversations/{id}");
        });
    }

    private static async Task<IResult> SetStatusAsync(HttpContext context, Guid id, [FromForm] string status, IConversationService conversations)
    {
        return await AsStaffAsync(context, async (session, actor) =>
        {
            await conversations.SetStatusAsync(actor, new ConversationId(id), status == "done" ? ConversationStatus.Done : ConversationStatus.Open, cancellationToken: context.RequestAborted);
            return Results.Redirect($"/conversations/{id}");
        });
    }

    private static async Task<IResult> MarkUnreadAsync(HttpContext context, Guid id, IConversationService conversations)
    {
        return await AsStaffAsync(context, async (session, actor) =>
        {
            await conversations.MarkUnreadAsync(actor, new ConversationId(id), context.RequestAborted);
            return Results.Redirect("/inbox");
        });
    }

    private static async Task<IResult> DownloadAsync(HttpContext context, Guid id, IAttachmentService attachments)
    {
        return await AsStaffAsync(context, async (session, actor) =>
        {
            var download = await attachments.OpenAsync(actor, new AttachmentId(id), context.RequestAborted);
            context.Response.RegisterForDisposeAsync(download);
            return Results.File(download.Content!, download.Attachment!.ContentType, download.Attachment.FileName);
        });
    }

    private static Task<IResult> PatientsAsync(HttpContext context)
    {
        var rows = string.Concat(SampleData.Patients.Select(p => $"<tr><td><a href=\"/patients/{H(p.PatientId.Value)}\">{H(p.GivenName)} {H(p.FamilyName)}</a></td><td>{H(p.NhsNumber ?? "none")}</td><td>{p.DateOfBirth:yyyy-MM-dd}</td></tr>"));
        var html = $"""
            <h2>Find a patient</h2>
            <form method="get" action="/patients/find">
            <label for="nhs">NHS number</label><input type="text" id="nhs" name="nhs" inputmode="numeric" autocomplete="off" placeholder="943 476 5919">
            <label for="dob">Date of birth</label><input type="date" id="dob" name="dob">
            <button type="submit">Find</button>
            </form>
            <h2>The EHR's patients</h2>
            <table><thead><tr><th>Name</th><th>NHS number</th><th>Date of birth</th></tr></thead><tbody>{rows}</tbody></table>
            """;
        return PageAsync(context, "Patients", html);
    }

    private static async Task<IResult> FindPatientAsync(HttpContext context, string? nhs, string? dob, IPatientService patients)
    {
        return await AsStaffAsync(context, async (session, actor) =>
        {
            if (!DateTime.TryParseExact(dob, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return await PageAsync(context, "Find a patient", "<p class=\"error\">Enter the date of birth as a date.</p><p><a href=\"/patients\">Back</a></p>");
            }

            // R4: both the NHS number and the date of birth must match.
            var patient = await patients.FindAsync(actor, session.Workspace, nhs ?? string.Empty, LocalDate.FromDateTime(date), context.RequestAborted);
            return Results.Redirect($"/patients/{Uri.EscapeDataString(patient.Id.Value)}");
        });
    }

    private static async Task<IResult> PatientAsync(HttpContext context, string id, string? scope, IPatientService patients, IConversationService conversations, IWorkspaceService workspaces, IPatientHistoryService history)
    {
        return await AsStaffAsync(context, async (session, actor) =>
        {
            var patient = await patients.GetAsync(actor, session.Workspace, new PatientId(id), context.RequestAborted);
            var all = scope == "all";
            var teams = await workspaces.ListTeamsAsync(actor, session.Workspace, context.RequestAborted);
            var list = await conversations.ListForPatientAsync(actor, session.Workspace, patient.Id, all ? PatientConversationScope.All : PatientConversationScope.Mine, context.RequestAborted);
            var rows = string.Concat(list.Select(c => $"<tr><td><a href=\"/conversations/{c.Id.Value}\">Started by {H(SampleData.StaffName(c.StartedBy))}</a></td><td>{H(AssigneeName(c.Assignee, teams))}</td><td>{c.Status}</td><td>{Time(c.LastActivityAt)}</td></tr>"));
            // R25: the EHR's "Messages" tab: every message with the patient across channels, with delivery statuses.
            var messages = await history.GetHistoryAsync(actor, new PatientHistoryRequest { WorkspaceId = session.Workspace, PatientId = patient.Id, PageSize = 20 }, context.RequestAborted);
            var historyRows = string.Concat(messages.Entries.Select(e => $"<tr><td>{Time(e.CreatedAt)}</td><td>{(e.Direction == MessageDirection.Inbound ? "From patient" : H(e.SenderName ?? e.SentBy?.Value))}</td><td>{e.Channel}</td><td>{e.Status}{(e.ProviderStatus is { } raw ? $" ({H(raw)})" : string.Empty)}</td><td><a href=\"/conversations/{e.ConversationId.Value}\">{H(e.Body.Length > 80 ? e.Body[..80] + "…" : e.Body)}</a></td></tr>"));
            var html = $"""
                <p>{(patient.NhsNumber is { } nhsNumber ? "NHS number " + H(nhsNumber.Value) : "No NHS number")} · born {patient.DateOfBirth:yyyy-MM-dd}</p>
                <p><a href="/patients/{H(id)}?scope=mine"{(all ? string.Empty : " aria-current=\"page\"")}>My conversations</a> · <a href="/patients/{H(id)}?scope=all"{(all ? " aria-current=\"page\"" : string.Empty)}>All conversations</a> · <a href="/send?patient={H(id)}">New conversation</a></p>
                <table><thead><tr><th>Conversation</th><th>Assigned to</th><th>Status</th><th>Last activity</th></tr></thead><tbody>{rows}</tbody></table>
                {(list.Count == 0 ? "<p>No conversations.</p>" : string.Empty)}
                <h2>Messages</h2>
                <table><thead><tr><th>When</th><th>Who</th><th>Channel</th><th>Status</th><th>Message</th></tr></thead><tbody>{historyRows}</tbody></table>
                {(messages.Entries.Count == 0 ? "<p>No messages.</p>" : string.Empty)}
                """;
            return await PageAsync(context, $"{patient.GivenName} {patient.FamilyName}", html);
        });
    }

    private static async Task<IResult> NotificationsAsync(HttpContext context, INotificationService notifications)
    {
        return await AsStaffAsync(context, async (session, actor) =>
        {
            var page = await notifications.ListAsync(actor, new NotificationListRequest { WorkspaceId = session.Workspace }, context.RequestAborted);
            var rows = string.Concat(page.Items.Select(n => $"""
                <tr class="{(n.IsUnread ? "unread" : string.Empty)}"><td>{H(Describe(n.Kind))}</td><td>{Time(n.CreatedAt)}</td>
                <td><form method="post" action="/notifications/{n.Id.Value}/open" class="inline">{Token(context)}<button type="submit" class="secondary">Open</button></form></td></tr>
                """));
            var html = $"""
                <form method="post" action="/notifications/read-all">{Token(context)}<button type="submit" class="secondary">Mark all read</button></form>
                <table><thead><tr><th>What</th><th>When</th><th></th></tr></thead><tbody>{rows}</tbody></table>
                {(page.Items.Count == 0 ? "<p>No notifications.</p>" : string.Empty)}
                """;
            return await PageAsync(context, "Notifications", html);
        });
    }

    private static async Task<IResult> OpenNotificationAsync(HttpContext context, Guid id, INotificationService notifications)
    {
        return await AsStaffAsync(context, async (session, actor) =>
        {
            var notificationId = new NotificationId(id);
            await notifications.MarkReadAsync(actor, session.Workspace, notificationId, context.RequestAborted);
            var page = await notifications.ListAsync(actor, new NotificationListRequest { WorkspaceId = session.Workspace, PageSize = 100 }, context.RequestAborted);
            var notification = page.Items.FirstOrDefault(n => n.Id == notificationId);
            return Results.Redirect(notification switch
            {
                { ConversationId: { } thread, Kind: var kind } when kind == NotificationKind.InternalMessage => $"/internal/{thread.Value}",
                { ConversationId: { } conversation } => $"/conversations/{conversation.Value}",
                _ => "/notifications",
            });
        });
    }

    private static Task<IResult> ReadAllNotificationsAsync(HttpContext context, INotificationService notifications)
        => AsStaffAsync(context, async (session, actor) =>
        {
            await notifications.MarkAllReadAsync(actor, session.Workspace, context.RequestAborted);
            return Results.Redirect("/notifications");
        });

    /// <summary>Uploads the form's file, if one was chosen (R11: type, signature and size are checked by the SDK).</summary>
    internal static async Task<IReadOnlyList<AttachmentId>> UploadAsync(IAttachmentService attachments, StaffId actor, WorkspaceId workspace, IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is not { Length: > 0 })
        {
            return [];
        }

        await using var stream = file.OpenReadStream();
        return [(await attachments.UploadAsync(actor, workspace, new AttachmentUpload(file.FileName, file.ContentType, stream), cancellationToken)).Id];
    }

    /// <summary>Runs a staff page as the acting member (home page when nobody is chosen), showing the SDK's refusals.</summary>
    internal static async Task<IResult> AsStaffAsync(HttpContext context, Func<StaffSession, StaffId, Task<IResult>> page)
    {
        if (StaffSession.From(context) is not { Actor: { } actor } session)
        {
            return Results.Redirect("/");
        }

        try
        {
            return await page(session, actor);
        }
        catch (MessagingException e)
        {
            return await ProblemAsync(context, e);
        }
    }

    private static string Describe(NotificationKind kind)
        => kind == NotificationKind.PatientReplied ? "A patient replied" : kind == NotificationKind.InternalMessage ? "A colleague sent you a secure message" : kind.Value;

    internal static string PatientName(string id)
        => SampleData.Patients.FirstOrDefault(p => p.PatientId.Value == id) is { } p ? $"{p.GivenName} {p.FamilyName}" : id;

    private static string AssigneeName(Assignee assignee, IReadOnlyList<Team> teams)
        => assignee.Kind == AssigneeKind.Team
            ? teams.FirstOrDefault(t => t.Id.Value == assignee.Id)?.Name ?? assignee.Id
            : SampleData.StaffName(new StaffId(assignee.Id));

    internal static string Time(Instant instant) => instant.InZone(London).ToString("d MMM yyyy HH:mm", CultureInfo.InvariantCulture);
}
