using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Microsoft.AspNetCore.Antiforgery;

namespace Messaging.SampleApp.Ui;

/// <summary>
/// The sample's plain server-rendered pages: a layout, HTML encoding and anti-forgery fields. A real EHR renders with
/// its own UI framework; what matters here is which SDK call each page makes.
/// </summary>
public static partial class Ui
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>HTML-encodes text.</summary>
    public static string H(string? text) => Encoder.Encode(text ?? string.Empty);

    /// <summary>HTML-encodes text and turns the links in it into clickable ones (the dev phone and mailbox).</summary>
    public static string Linkify(string text)
    {
        var html = new System.Text.StringBuilder();
        var at = 0;
        foreach (Match url in Url().Matches(text))
        {
            html.Append(H(text[at..url.Index])).Append("<a href=\"").Append(H(url.Value)).Append("\">").Append(H(url.Value)).Append("</a>");
            at = url.Index + url.Length;
        }

        return html.Append(H(text[at..])).ToString();
    }

    /// <summary>The hidden anti-forgery field every staff form carries.</summary>
    public static string Token(HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return $"<input type=\"hidden\" name=\"{H(tokens.FormFieldName)}\" value=\"{H(tokens.RequestToken)}\">";
    }

    /// <summary>A staff page in the sample's layout, with the navigation for the acting staff member.</summary>
    public static async Task<IResult> PageAsync(HttpContext context, string title, string body)
    {
        var session = StaffSession.From(context);
        var nav = "<a href=\"/\">Home</a>";
        var workspaceName = WorkspaceName(session.Workspace);
        var switcher = string.Empty;
        if (session.Actor is { } actor)
        {
            // The workspace switcher: every workspace the member belongs to, with its unread count.
            IReadOnlyList<MemberWorkspace> mine = [];
            try
            {
                mine = await context.RequestServices.GetRequiredService<IWorkspaceService>().ListMyWorkspacesAsync(actor, context.RequestAborted);
            }
            catch (MessagingException)
            {
                // the layout of an error page must not fail itself: no switcher
            }

            workspaceName = mine.FirstOrDefault(w => w.Workspace.Id == session.Workspace)?.Workspace.Name ?? workspaceName;
            switcher = $"""
                <form method="post" action="/switch-workspace" class="inline switcher">{Token(context)}<label for="switch">Switch workspace</label>
                <select id="switch" name="workspace">{Options(mine.Select(w => (w.Workspace.Id.Value, w.Workspace.Name + (w.UnreadCount > 0 ? $" · {w.UnreadCount} unread" : string.Empty))), session.Workspace.Value)}</select>
                <button type="submit" class="secondary">Switch</button></form>
                """;

            var unread = 0;
            try
            {
                unread = await context.RequestServices.GetRequiredService<INotificationService>().CountUnreadAsync(actor, session.Workspace, context.RequestAborted);
            }
            catch (MessagingException)
            {
                // not a member of the chosen workspace: no count
            }

            nav += " <a href=\"/send\">New message</a> <a href=\"/direct/new\">Direct message</a> <a href=\"/inbox\">Inbox</a> <a href=\"/internal\">Internal</a> <a href=\"/patients\">Patients</a> <a href=\"/templates\">Templates</a> <a href=\"/credits\">Credits</a> <a href=\"/workspaces\">Workspaces</a> <a href=\"/admin\">Admin</a>"
                + $" <a href=\"/notifications\">Notifications{(unread > 0 ? $" <span class=\"badge\">{unread}</span>" : string.Empty)}</a>";
        }

        nav += " <a href=\"/dev/phone\">Dev phone</a> <a href=\"/dev/mailbox\">Dev mailbox</a>";
        var who = session.Actor is { } a
            ? $"<p class=\"who\">Acting as <strong>{H(SampleData.StaffName(a))}</strong> in <strong>{H(workspaceName)}</strong> · <a href=\"/\">change</a></p>{switcher}"
            : string.Empty;
        var html = $$"""
            <!DOCTYPE html>
            <html lang="en-GB">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{H(title)}} – Patient Messaging sample</title>
            <link rel="stylesheet" href="/sample.css">
            </head>
            <body>
            <header><p class="brand">Patient Messaging SDK · sample EHR</p><nav aria-label="Main">{{nav}}</nav>{{who}}</header>
            <main id="main">
            <h1>{{H(title)}}</h1>
            {{body}}
            </main>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>A short message page, e.g. for an SDK refusal, with its stable error code.</summary>
    public static Task<IResult> ProblemAsync(HttpContext context, MessagingException error)
        => PageAsync(context, "That did not work", $"<p class=\"error\">{H(error.Message)}</p><p>Error code: <code>{H(error.ErrorCode)}</code></p><p><a href=\"/\">Home</a></p>");

    public static string WorkspaceName(WorkspaceId id) => id == SampleData.Dermatology ? "Dermatology at Northshire NHS Trust" : "Northshire NHS Trust";

    public static string Options(IEnumerable<(string Value, string Label)> options, string? selected)
        => string.Concat(options.Select(o => $"<option value=\"{H(o.Value)}\"{(o.Value == selected ? " selected" : string.Empty)}>{H(o.Label)}</option>"));

    public const string Stylesheet = """
        body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #0b0c0c; background: #fff; }
        header { background: #1d3557; color: #fff; padding: .5rem 1rem; }
        header a { color: #fff; margin-right: .75rem; }
        .brand { margin: 0; font-weight: 700; }
        .who { margin: .25rem 0 0; font-size: .9rem; }
        main { padding: 1rem; max-width: 60rem; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; border-bottom: 1px solid #b1b4b6; padding: .4rem; vertical-align: top; }
        .unread { font-weight: 700; }
        .badge { background: #d4351c; color: #fff; border-radius: 1rem; padding: 0 .45rem; font-size: .8rem; }
        label { display: block; font-weight: 700; margin-top: .75rem; }
        .check label { display: inline; font-weight: 400; }
        input[type=text], input[type=date], select, textarea { font: inherit; padding: .3rem; border: 2px solid #0b0c0c; max-width: 100%; }
        textarea { width: 100%; }
        button { font: inherit; margin-top: .75rem; padding: .4rem 1rem; background: #00703c; color: #fff; border: 0; cursor: pointer; }
        button.secondary { background: #505a5f; }
        a:focus, button:focus, input:focus, select:focus, textarea:focus { outline: 3px solid #ffdd00; }
        .message { border-left: 4px solid #1d70b8; padding: .25rem .75rem; margin: .75rem 0; white-space: pre-wrap; }
        .message.in { border-color: #00703c; background: #f3f9f5; }
        .meta { color: #505a5f; font-size: .9rem; white-space: normal; }
        .notice { border-left: 4px solid #00703c; padding: .25rem .75rem; background: #f3f9f5; }
        .error { color: #d4351c; font-weight: 700; }
        .sms { border: 1px solid #b1b4b6; border-radius: 1rem; padding: .5rem .9rem; margin: .5rem 0; max-width: 26rem; white-space: pre-wrap; overflow-wrap: anywhere; background: #f3f2f1; }
        .phone { max-width: 28rem; }
        .switcher { display: block; margin-top: .25rem; font-size: .9rem; }
        .switcher label { display: inline; margin: 0 .5rem 0 0; }
        .switcher button { margin-top: 0; padding: .2rem .6rem; }
        td button { margin-top: 0; }
        .sms form, .message form { white-space: normal; display: block; }
        .sms form button, .message form button { margin: .25rem .25rem 0 0; padding: .2rem .6rem; }
        td form.inline, td a { margin-right: .25rem; }
        form.inline { display: inline; }
        """;

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex Url();
}

/// <summary>
/// Who the sample's user is acting as, and in which workspace: a cookie, because the sample has no login. In an EHR
/// the acting staff member comes from the host's own authentication.
/// </summary>
public sealed record StaffSession(StaffId? Actor, WorkspaceId Workspace)
{
    public const string StaffCookie = "sample-staff";
    public const string WorkspaceCookie = "sample-workspace";

    public static StaffSession From(HttpContext context)
    {
        var staff = context.Request.Cookies[StaffCookie] is { Length: > 0 } s && SampleData.Staff.Any(x => x.Id.Value == s) ? new StaffId(s) : (StaffId?)null;
        // Any workspace id (an admin can create team workspaces); the SDK refuses one the member does not belong to.
        var workspace = context.Request.Cookies[WorkspaceCookie] is { Length: > 0 and <= 64 } w && w.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? new WorkspaceId(w)
            : SampleData.Dermatology;
        return new StaffSession(staff, workspace);
    }
}
