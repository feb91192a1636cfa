using Messaging.Testing.Peers;
using Microsoft.Playwright;
using static Messaging.SampleApp.Tests.PatientReplyBrowserTests;

namespace Messaging.SampleApp.Tests;

/// <summary>
/// Workspaces in Chromium: the switcher with its per-workspace unread counts, and the admin pages (add a member, create a
/// team, create a team workspace and switch to it).
/// </summary>
public sealed class WorkspaceBrowserTests(SampleSite site) : IClassFixture<SampleSite>
{
    [PeerFact("MESSAGING_CHROMIUM")]
    public async Task The_switcher_shows_each_workspace_with_its_unread_count_and_switches_to_it()
    {
        // Alice, in the trust's default workspace, messages Jane and assigns the conversation to Carol.
        await using var staff = await site.NewDesktopAsync();
        var desk = await staff.NewPageAsync();
        await ActAsAsync(desk, "alice", "northshire");
        await desk.GotoAsync("/send");
        await desk.Locator("#patient").SelectOptionAsync("p-1001");
        await desk.GetByLabel("Message").FillAsync("Your appointment is confirmed for Monday at 10:00.");
        await desk.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await desk.GetByLabel("Assign to").SelectOptionAsync("staff:carol");
        await desk.GetByRole(AriaRole.Button, new() { Name = "Assign", Exact = true }).ClickAsync();

        // Carol, in Dermatology: the switcher lists both of her workspaces; the trust's has one unread for her.
        await using var phone = await site.NewPhoneAsync();
        var carol = await phone.NewPageAsync();
        await ActAsAsync(carol, "carol");
        await carol.GotoAsync("/workspaces");
        var table = carol.GetByRole(AriaRole.Table, new() { Name = "My workspaces" });
        var trust = table.GetByRole(AriaRole.Row).Filter(new() { HasText = "Northshire NHS Trust" }).Filter(new() { HasNotText = "Dermatology" });
        await Assertions.Expect(trust).ToContainTextAsync("Member");
        await Assertions.Expect(trust.Locator(".badge")).ToHaveTextAsync("1");
        await Assertions.Expect(table.GetByRole(AriaRole.Row).Filter(new() { HasText = "Dermatology" })).ToContainTextAsync("Shared inbox");
        await Assertions.Expect(carol.Locator("#switch option[value=northshire]")).ToHaveTextAsync("Northshire NHS Trust · 1 unread");
        await carol.ScreenshotAsync(new() { Path = Screenshots.PathFor("workspaces-phone.png"), FullPage = true });

        // Switching: the inbox of the trust's workspace, with Jane's conversation assigned to her, unread.
        await carol.GetByRole(AriaRole.Button, new() { Name = "Switch to Northshire NHS Trust" }).ClickAsync();
        await Assertions.Expect(carol.Locator(".who")).ToContainTextAsync("in Northshire NHS Trust");
        await Assertions.Expect(carol.Locator("tr.unread")).ToContainTextAsync("Jane Doe");

        // The header switcher goes back.
        await carol.Locator("#switch").SelectOptionAsync("northshire-derm");
        await carol.GetByRole(AriaRole.Button, new() { Name = "Switch", Exact = true }).ClickAsync();
        await Assertions.Expect(carol.Locator(".who")).ToContainTextAsync("in Dermatology at Northshire NHS Trust");
    }

    [PeerFact("MESSAGING_CHROMIUM")]
    public async Task An_admin_adds_a_member_creates_a_team_and_a_team_workspace()
    {
        await using var staff = await site.NewDesktopAsync();
        var desk = await staff.NewPageAsync();
        await ActAsAsync(desk, "alice");
        await desk.GotoAsync("/admin");
        var members = desk.GetByRole(AriaRole.Table, new() { Name = "Members" });
        await Assertions.Expect(members).ToContainTextAsync("Bob Brown");

        // Add Dan, whom the EHR knows but no workspace has yet.
        await desk.GetByLabel("Staff member").SelectOptionAsync("dan");
        await desk.GetByRole(AriaRole.Button, new() { Name = "Add member" }).ClickAsync();
        await Assertions.Expect(members).ToContainTextAsync("Dan Davies");

        // A team of Carol and Dan.
        await desk.GetByLabel("New team name").FillAsync("Wound care");
        await desk.GetByLabel("Carol Clark").CheckAsync();
        await desk.GetByLabel("Dan Davies").CheckAsync();
        await desk.GetByRole(AriaRole.Button, new() { Name = "Create team" }).ClickAsync();
        var teams = desk.GetByRole(AriaRole.Table, new() { Name = "Teams" });
        await Assertions.Expect(teams.GetByRole(AriaRole.Row).Filter(new() { HasText = "Wound care" })).ToContainTextAsync("Carol Clark, Dan Davies");
        await desk.ScreenshotAsync(new() { Path = Screenshots.PathFor("admin-desktop.png"), FullPage = true });

        // A new team workspace: Alice is its admin and can switch to it.
        await desk.GetByLabel("Workspace name").FillAsync("Wound clinic");
        await desk.GetByRole(AriaRole.Button, new() { Name = "Create workspace" }).ClickAsync();
        var clinic = desk.GetByRole(AriaRole.Table, new() { Name = "My workspaces" }).GetByRole(AriaRole.Row).Filter(new() { HasText = "Wound clinic" });
        await Assertions.Expect(clinic).ToContainTextAsync("Admin");
        await Assertions.Expect(clinic).ToContainTextAsync("Shared inbox");
        await desk.ScreenshotAsync(new() { Path = Screenshots.PathFor("workspaces-desktop.png"), FullPage = true });
        await desk.GetByRole(AriaRole.Button, new() { Name = "Switch to Wound clinic" }).ClickAsync();
        await Assertions.Expect(desk.Locator(".who")).ToContainTextAsync("in Wound clinic");

        // Bob is not an admin: adding a member is refused by the SDK.
        await using var other = await site.NewPhoneAsync();
        var bob = await other.NewPageAsync();
        await ActAsAsync(bob, "bob");
        await bob.GotoAsync("/admin");
        await bob.GetByLabel("New team name").FillAsync("Night shift");
        await bob.GetByRole(AriaRole.Button, new() { Name = "Create team" }).ClickAsync();
        await Assertions.Expect(bob.GetByText("auth.not_an_admin")).ToBeVisibleAsync();
        await bob.GotoAsync("/admin");
        await Assertions.Expect(bob.GetByRole(AriaRole.Table, new() { Name = "Teams" })).Not.ToContainTextAsync("Night shift");
        await bob.ScreenshotAsync(new() { Path = Screenshots.PathFor("admin-phone.png"), FullPage = true });
    }
}
