using Messaging.Testing.Peers;
using Microsoft.Playwright;
using static Messaging.SampleApp.Tests.PatientReplyBrowserTests;

namespace Messaging.SampleApp.Tests;

/// <summary>
/// The practice's own pages in Chromium: SMS credits (an admin purchases by payment reference, a retried reference adds
/// nothing, a nurse is refused; the statement) and template management (create, edit, share, unshare, delete).
/// </summary>
public sealed class ManageBrowserTests(SampleSite site) : IClassFixture<SampleSite>
{
    [PeerFact("MESSAGING_CHROMIUM")]
    public async Task An_admin_purchases_credits_once_per_payment_reference_and_a_nurse_is_refused()
    {
        await using var staff = await site.NewDesktopAsync();
        var desk = await staff.NewPageAsync();
        await ActAsAsync(desk, "alice");
        await desk.GotoAsync("/credits");
        var before = int.Parse(await desk.Locator("#balance").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);

        await desk.GetByLabel("Credits").FillAsync("500");
        await desk.GetByLabel("Payment reference").FillAsync("pay-0001");
        await desk.GetByRole(AriaRole.Button, new() { Name = "Purchase" }).ClickAsync();
        await Assertions.Expect(desk.Locator("#balance")).ToHaveTextAsync((before + 500).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(desk.GetByRole(AriaRole.Table, new() { Name = "Statement" })).ToContainTextAsync("pay-0001");

        // The payment call retried with the same reference: nothing more is added.
        await desk.GetByLabel("Credits").FillAsync("500");
        await desk.GetByLabel("Payment reference").FillAsync("pay-0001");
        await desk.GetByRole(AriaRole.Button, new() { Name = "Purchase" }).ClickAsync();
        await Assertions.Expect(desk.Locator("#balance")).ToHaveTextAsync((before + 500).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(desk.Locator("#closing")).ToHaveTextAsync((before + 500).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await desk.ScreenshotAsync(new() { Path = Screenshots.PathFor("credits-desktop.png"), FullPage = true });

        // A nurse is not an organisation admin: no statement, and the purchase is refused with nothing added.
        await using var phone = await site.NewPhoneAsync();
        var nurse = await phone.NewPageAsync();
        await ActAsAsync(nurse, "bob");
        await nurse.GotoAsync("/credits");
        await Assertions.Expect(nurse.GetByText("auth.not_an_admin")).ToBeVisibleAsync();
        await nurse.GetByLabel("Payment reference").FillAsync("pay-0002");
        await nurse.GetByRole(AriaRole.Button, new() { Name = "Purchase" }).ClickAsync();
        await Assertions.Expect(nurse.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("That did not work");
        await Assertions.Expect(nurse.GetByText("auth.not_an_admin")).ToBeVisibleAsync();
        await nurse.GotoAsync("/credits");
        await Assertions.Expect(nurse.Locator("#balance")).ToHaveTextAsync((before + 500).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await nurse.ScreenshotAsync(new() { Path = Screenshots.PathFor("credits-phone-refused.png"), FullPage = true });
    }

    [PeerFact("MESSAGING_CHROMIUM")]
    public async Task Staff_create_edit_share_unshare_and_delete_a_template()
    {
        await using var staff = await site.NewDesktopAsync();
        var desk = await staff.NewPageAsync();
        await ActAsAsync(desk, "carol");
        await desk.GotoAsync("/templates");
        var mine = desk.GetByRole(AriaRole.Table, new() { Name = "My templates" });
        var shared = desk.GetByRole(AriaRole.Table, new() { Name = "Shared templates" });
        await Assertions.Expect(shared).ToContainTextAsync("Photo request");

        // Create a personal template.
        await desk.GetByLabel("Name").FillAsync("Dressing check");
        await desk.GetByLabel("Text").FillAsync("Dear {{patient.firstName}}, how is the dressing? {{staff.name}}");
        await desk.GetByRole(AriaRole.Button, new() { Name = "Create template" }).ClickAsync();
        await Assertions.Expect(mine).ToContainTextAsync("Dressing check");
        await Assertions.Expect(shared).Not.ToContainTextAsync("Dressing check");

        // Edit it.
        await desk.GetByRole(AriaRole.Link, new() { Name = "Edit Dressing check" }).ClickAsync();
        await desk.GetByLabel("Name").FillAsync("Dressing review");
        await desk.GetByRole(AriaRole.Button, new() { Name = "Save template" }).ClickAsync();
        await Assertions.Expect(mine).ToContainTextAsync("Dressing review");

        // Share it: it moves to the shared list, where a colleague can use it too.
        await desk.GetByRole(AriaRole.Button, new() { Name = "Share Dressing review" }).ClickAsync();
        await Assertions.Expect(shared).ToContainTextAsync("Dressing review");
        await Assertions.Expect(desk.GetByText("None yet.")).ToBeVisibleAsync(); // no personal ones left
        await desk.ScreenshotAsync(new() { Path = Screenshots.PathFor("templates-desktop.png"), FullPage = true });

        await using var other = await site.NewPhoneAsync();
        var bob = await other.NewPageAsync();
        await ActAsAsync(bob, "bob");
        await bob.GotoAsync("/templates");
        await Assertions.Expect(bob.GetByRole(AriaRole.Table, new() { Name = "Shared templates" })).ToContainTextAsync("Dressing review");
        await bob.ScreenshotAsync(new() { Path = Screenshots.PathFor("templates-phone.png"), FullPage = true });

        // Unshare: personal again, and Bob no longer sees it.
        await desk.GetByRole(AriaRole.Button, new() { Name = "Unshare Dressing review" }).ClickAsync();
        await Assertions.Expect(mine).ToContainTextAsync("Dressing review");
        await bob.ReloadAsync();
        await Assertions.Expect(bob.GetByRole(AriaRole.Table, new() { Name = "Shared templates" })).Not.ToContainTextAsync("Dressing review");

        // Delete it.
        await desk.GetByRole(AriaRole.Button, new() { Name = "Delete Dressing review" }).ClickAsync();
        await Assertions.Expect(desk.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Templates");
        await Assertions.Expect(desk.GetByText("Dressing review")).Not.ToBeVisibleAsync();
    }
}
