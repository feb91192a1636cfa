using Microsoft.AspNetCore.Mvc;
using NodaTime;
using static Messaging.SampleApp.Ui.StaffPages;
using static Messaging.SampleApp.Ui.Ui;

namespace Messaging.SampleApp.Ui;

/// <summary>
/// The practice's own pages: SMS credits (balance, purchase by an admin, statement) and message templates (personal and
/// shared: create, edit, share, unshare, delete). Each handler shows the SDK call it makes; refusals are the SDK's own.
/// </summary>
public static class ManagePages
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/credits", CreditsAsync);
        app.MapPost("/credits/purchase", PurchaseAsync);
        app.MapGet("/templates", TemplatesAsync);
        app.MapPost("/templates", CreateTemplateAsync);
        app.MapGet("/templates/{id:guid}", EditTemplateAsync);
        app.MapPost("/templates/{id:guid}", UpdateTemplateAsync);
        app.MapPost("/templates/{id:guid}/share", ShareTemplateAsync);
        app.MapPost("/templates/{id:guid}/unshare", UnshareTemplateAsync);
        app.MapPost("/templates/{id:guid}/delete", DeleteTemplateAsync);
    }

    private static Task<IResult> CreditsAsync(HttpContext context, ICreditService credits, IClock clock)
        => AsStaffAsync(context, async (session, actor) =>
        {
            var balance = await credits.GetBalanceAsync(SampleData.Trust, context.RequestAborted);

            // The statement is for organisation admins; anyone else sees the SDK's refusal in place of it.
            string statement;
            try
            {
                var now = clock.GetCurrentInstant();
                var result = await credits.GetStatementAsync(actor, SampleData.Trust, new CreditStatementRequest { From = now - Duration.FromDays(30), To = now + Duration.FromMinutes(1) }, context.RequestAborted);
                var rows = string.Concat(result.Entries.Select(e => $"<tr><td>{Time(e.At)}</td><td>{e.Kind}</td><td>{e.Amount}</td><td>{H(e.Reference)}</td></tr>"));
                statement = $"""
                    <p>Opening balance <strong>{result.OpeningBalance}</strong> · closing balance <strong id="closing">{result.ClosingBalance}</strong></p>
                    <table aria-label="Statement"><thead><tr><th>When</th><th>Kind</th><th>Credits</th><th>Payment reference</th></tr></thead><tbody>{rows}</tbody></table>
                    """;
            }
            catch (MessagingException e)
            {
                statement = $"<p class=\"error\">{H(e.Message)}</p><p>Error code: <code>{H(e.ErrorCode)}</code></p>";
            }

            var html = $"""
                <p>Balance of {H(WorkspaceName(SampleData.TrustWorkspace))}: <strong id="balance">{balance}</strong> credits. Each SMS part costs a credit.</p>
                <h2>Purchase credits</h2>
                <p>A real host calls <code>PurchaseAsync</code> once its payment provider has taken the payment; the payment
                reference makes a retried call add nothing. Only an organisation admin may purchase.</p>
                <form method="post" action="/credits/purchase">{Token(context)}
                <label for="credits">Credits</label><input type="text" inputmode="numeric" id="credits" name="credits" value="500">
                <label for="reference">Payment reference</label><input type="text" id="reference" name="reference" required>
                <button type="submit">Purchase</button>
                </form>
                <h2>Statement for the last 30 days</h2>
                {statement}
                """;
            return await PageAsync(context, "SMS credits", html);
        });

    private static Task<IResult> PurchaseAsync(HttpContext context, [FromForm] string credits, [FromForm] string reference, ICreditService service)
        => AsStaffAsync(context, async (session, actor) =>
        {
            var amount = int.TryParse(credits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
            await service.PurchaseAsync(actor, SampleData.Trust, amount, reference, context.RequestAborted);
            return Results.Redirect("/credits");
        });

    private static Task<IResult> TemplatesAsync(HttpContext context, ITemplateService templates)
        => AsStaffAsync(context, async (session, actor) =>
        {
            var list = await templates.ListAsync(actor, session.Workspace, context.RequestAborted);
            string Table(string label, IReadOnlyList<MessageTemplate> items) => items.Count == 0
                ? "<p>None yet.</p>"
                : $"<table aria-label=\"{H(label)}\"><thead><tr><th>Name</th><th>Text</th><th>Owner</th><th>Actions</th></tr></thead><tbody>"
                  + string.Concat(items.Select(t => $"""
                      <tr><td>{H(t.Name)}</td><td>{H(t.Body)}</td><td>{H(SampleData.StaffName(t.Owner))}</td><td>
                      <a href="/templates/{t.Id.Value}" aria-label="Edit {H(t.Name)}">Edit</a>
                      <form method="post" action="/templates/{t.Id.Value}/{(t.IsShared ? "unshare" : "share")}" class="inline">{Token(context)}<input type="hidden" name="version" value="{t.Version}"><button type="submit" class="secondary" aria-label="{(t.IsShared ? "Unshare" : "Share")} {H(t.Name)}">{(t.IsShared ? "Unshare" : "Share")}</button></form>
                      <form method="post" action="/templates/{t.Id.Value}/delete" class="inline">{Token(context)}<input type="hidden" name="version" value="{t.Version}"><button type="submit" class="secondary" aria-label="Delete {H(t.Name)}">Delete</button></form>
                      </td></tr>
                      """))
                  + "</tbody></table>";
            var html = $"""
                <p>Templates use the SDK's placeholders, e.g. <code>{H("{{patient.firstName}}")}</code>, <code>{H("{{staff.name}}")}</code>, <code>{H("{{workspace.name}}")}</code>.
                Personal templates are yours; shared ones everyone in {H(WorkspaceName(session.Workspace))} can use.</p>
                <h2>My templates</h2>{Table("My templates", list.Personal)}
                <h2>Shared templates</h2>{Table("Shared templates", list.Shared)}
                <h2>New template</h2>
                <form method="post" action="/templates">{Token(context)}
                <label for="name">Name</label><input type="text" id="name" name="name" required>
                <label for="body">Text</label><textarea id="body" name="body" rows="4" required></textarea>
                <p class="check"><input type="checkbox" id="shared" name="shared" value="true"> <label for="shared">Share with the workspace</label></p>
                <button type="submit">Create template</button>
                </form>
                """;
            return await PageAsync(context, "Templates", html);
        });

    private static Task<IResult> CreateTemplateAsync(HttpContext context, [FromForm] string name, [FromForm] string body, [FromForm] string? shared, ITemplateService templates)
        => AsStaffAsync(context, async (session, actor) =>
        {
            await templates.CreateAsync(actor, new CreateTemplateRequest { WorkspaceId = session.Workspace, Name = name, Body = Lf(body), Shared = shared is not null }, context.RequestAborted);
            return Results.Redirect("/templates");
        });

    private static Task<IResult> EditTemplateAsync(HttpContext context, Guid id, ITemplateService templates)
        => AsStaffAsync(context, async (session, actor) =>
        {
            var template = await templates.GetAsync(actor, new TemplateId(id), context.RequestAborted);
            var html = $"""
                <form method="post" action="/templates/{id}">{Token(context)}<input type="hidden" name="version" value="{template.Version}">
                <label for="name">Name</label><input type="text" id="name" name="name" value="{H(template.Name)}" required>
                <label for="body">Text</label><textarea id="body" name="body" rows="4" required>{H(template.Body)}</textarea>
                <button type="submit">Save template</button>
                </form>
                <p><a href="/templates">Back to templates</a></p>
                """;
            return await PageAsync(context, "Edit template", html);
        });

    private static Task<IResult> UpdateTemplateAsync(HttpContext context, Guid id, [FromForm] long version, [FromForm] string name, [FromForm] string body, ITemplateService templates)
        => AsStaffAsync(context, async (session, actor) =>
        {
            await templates.UpdateAsync(actor, new TemplateId(id), new UpdateTemplateRequest { ExpectedVersion = version, Name = name, Body = Lf(body) }, context.RequestAborted);
            return Results.Redirect("/templates");
        });

    private static Task<IResult> ShareTemplateAsync(HttpContext context, Guid id, [FromForm] long version, ITemplateService templates)
        => AsStaffAsync(context, async (session, actor) =>
        {
            await templates.ShareAsync(actor, new TemplateId(id), version, context.RequestAborted);
            return Results.Redirect("/templates");
        });

    private static Task<IResult> UnshareTemplateAsync(HttpContext context, Guid id, [FromForm] long version, ITemplateService templates)
        => AsStaffAsync(context, async (session, actor) =>
        {
            await templates.UnshareAsync(actor, new TemplateId(id), version, context.RequestAborted);
            return Results.Redirect("/templates");
        });

    private static Task<IResult> DeleteTemplateAsync(HttpContext context, Guid id, [FromForm] long version, ITemplateService templates)
        => AsStaffAsync(context, async (session, actor) =>
        {
            await templates.DeleteAsync(actor, new TemplateId(id), version, context.RequestAborted);
            return Results.Redirect("/templates");
        });

    private static string Lf(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}
