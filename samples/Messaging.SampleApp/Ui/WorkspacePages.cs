using Microsoft.AspNetCore.Mvc;
using static Messaging.SampleApp.Ui.StaffPages;
using static Messaging.SampleApp.Ui.Ui;

namespace Messaging.SampleApp.Ui;

/// <summary>
/// Workspaces: the switcher (every workspace the member belongs to, with role, shared inbox and unread count) and the
/// admin pages of the chosen workspace (members, teams, a new team workspace). Refusals are the SDK's own.
/// </summary>
public static class WorkspacePages
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/workspaces", WorkspacesAsync);
        app.MapPost("/switch-workspace", Switch);
        app.MapGet("/admin", AdminAsync);
        app.MapPost("/admin/members", AddMemberAsync);
        app.MapPost("/admin/teams", CreateTeamAsync);
        app.MapPost("/admin/workspaces", CreateWorkspaceAsync);
    }

    private static Task<IResult> WorkspacesAsync(HttpContext context, IWorkspaceService workspaces)
        => AsStaffAsync(context, async (session, actor) =>
        {
            var mine = await workspaces.ListMyWorkspacesAsync(actor, context.RequestAborted);
            var rows = string.Concat(mine.Select(w => $"""
                <tr{(w.Workspace.Id == session.Workspace ? " aria-current=\"true\"" : string.Empty)}><td>{H(w.Workspace.Name)}<br><span class="meta">{w.Role} · {(w.Workspace.HasSharedInbox ? "Shared inbox" : "No shared inbox")}</span></td>
                <td>{(w.UnreadCount > 0 ? $"<span class=\"badge\">{w.UnreadCount}</span>" : "0")}</td>
                <td><form method="post" action="/switch-workspace">{Token(context)}<input type="hidden" name="workspace" value="{H(w.Workspace.Id.Value)}"><button type="submit" class="secondary" aria-label="Switch to {H(w.Workspace.Name)}">Switch</button></form></td></tr>
                """));
            var html = $"""
                <p>The workspaces you belong to (<code>ListMyWorkspacesAsync</code>), with your role and the unread conversations in each.</p>
                <table aria-label="My workspaces"><thead><tr><th>Workspace</th><th>Unread</th><th></th></tr></thead><tbody>{rows}</tbody></table>
                """;
            return await PageAsync(context, "My workspaces", html);
        });

    private static IResult Switch([FromForm] string workspace, HttpContext context)
    {
        context.Response.Cookies.Append(StaffSession.WorkspaceCookie, workspace, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true });
        return Results.Redirect("/inbox");
    }

    private static Task<IResult> AdminAsync(HttpContext context, IWorkspaceService workspaces)
        => AsStaffAsync(context, async (session, actor) =>
        {
            var workspace = await workspaces.GetWorkspaceAsync(actor, session.Workspace, context.RequestAborted);
            var members = await workspaces.ListMembersAsync(actor, session.Workspace, context.RequestAborted);
            var teams = await workspaces.ListTeamsAsync(actor, session.Workspace, context.RequestAborted);
            var memberRows = string.Concat(members.Select(m => $"<tr><td>{H(m.DisplayName)}</td><td>{m.Role}</td></tr>"));
            var teamRows = string.Concat(teams.Select(t => $"<tr><td>{H(t.Name)}</td><td>{H(string.Join(", ", t.Members.Select(SampleData.StaffName)))}</td></tr>"));
            var candidates = SampleData.Staff.Where(s => members.All(m => m.StaffId != s.Id)).ToList();
            var addMember = candidates.Count == 0
                ? "<p>Everyone the EHR knows is a member already.</p>"
                : $"""
                  <form method="post" action="/admin/members">{Token(context)}
                  <label for="member">Staff member</label><select id="member" name="staff">{Options(candidates.Select(s => (s.Id.Value, s.Name)), null)}</select>
                  <label for="role">Role</label><select id="role" name="role">{Options([("Member", "Member"), ("Admin", "Admin")], "Member")}</select>
                  <button type="submit">Add member</button>
                  </form>
                  """;
            var checkboxes = string.Concat(members.Select(m => $"<p class=\"check\"><input type=\"checkbox\" id=\"tm-{H(m.StaffId.Value)}\" name=\"members\" value=\"{H(m.StaffId.Value)}\"> <label for=\"tm-{H(m.StaffId.Value)}\">{H(m.DisplayName)}</label></p>"));
            var html = $"""
                <p>Administering <strong>{H(workspace.Name)}</strong> ({workspace.Kind}{(workspace.HasSharedInbox ? ", shared inbox" : string.Empty)}). Only its admins may change it.</p>
                <h2>Members</h2>
                <table aria-label="Members"><thead><tr><th>Name</th><th>Role</th></tr></thead><tbody>{memberRows}</tbody></table>
                {addMember}
                <h2>Teams</h2>
                <table aria-label="Teams"><thead><tr><th>Team</th><th>Members</th></tr></thead><tbody>{teamRows}</tbody></table>
                {(teams.Count == 0 ? "<p>No teams yet.</p>" : string.Empty)}
                <form method="post" action="/admin/teams">{Token(context)}
                <label for="team-name">New team name</label><input type="text" id="team-name" name="name" required>
                <fieldset><legend>Team members</legend>{checkboxes}</fieldset>
                <button type="submit">Create team</button>
                </form>
                <h2>New team workspace</h2>
                <p>A workspace of the organisation for one team, e.g. a clinic with its own shared inbox. You become its admin.</p>
                <form method="post" action="/admin/workspaces">{Token(context)}
                <label for="ws-name">Workspace name</label><input type="text" id="ws-name" name="name" required>
                <p class="check"><input type="checkbox" id="ws-shared" name="sharedInbox" value="true" checked> <label for="ws-shared">Shared inbox</label></p>
                <button type="submit">Create workspace</button>
                </form>
                """;
            return await PageAsync(context, "Workspace admin", html);
        });

    private static Task<IResult> AddMemberAsync(HttpContext context, [FromForm] string staff, [FromForm] string role, IWorkspaceService workspaces)
        => AsStaffAsync(context, async (session, actor) =>
        {
            var id = new StaffId(staff);
            await workspaces.AddMemberAsync(actor, session.Workspace, new NewMember(id, $"{id.Value}@northshire.nhs.example", SampleData.StaffName(id), role == "Admin" ? WorkspaceRole.Admin : WorkspaceRole.Member), context.RequestAborted);
            return Results.Redirect("/admin");
        });

    private static Task<IResult> CreateTeamAsync(HttpContext context, [FromForm] string name, IWorkspaceService workspaces)
        => AsStaffAsync(context, async (session, actor) =>
        {
            await workspaces.CreateTeamAsync(actor, session.Workspace, new TeamId(Slug(name)), name, context.Request.Form["members"].OfType<string>().Select(m => new StaffId(m)), context.RequestAborted);
            return Results.Redirect("/admin");
        });

    private static Task<IResult> CreateWorkspaceAsync(HttpContext context, [FromForm] string name, [FromForm] string? sharedInbox, IWorkspaceService workspaces)
        => AsStaffAsync(context, async (session, actor) =>
        {
            await workspaces.CreateTeamWorkspaceAsync(actor, new CreateTeamWorkspaceRequest
            {
                OrganisationId = SampleData.Trust,
                WorkspaceId = new WorkspaceId("northshire-" + Slug(name)),
                Name = name,
                HasSharedInbox = sharedInbox is not null,
            }, context.RequestAborted);
            return Results.Redirect("/workspaces");
        });

    /// <summary>An id from a name, e.g. "Wound clinic" → "wound-clinic" (the EHR would use its own ids).</summary>
    private static string Slug(string name)
    {
        var slug = new string([.. name.Trim().ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        return slug.Length is > 0 and <= 40 ? slug : "team-" + Guid.NewGuid().ToString("N")[..8];
    }
}
