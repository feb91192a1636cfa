using Messaging.Testing.Peers;
using Microsoft.Playwright;
using static Messaging.SampleApp.Tests.PatientReplyBrowserTests;

namespace Messaging.SampleApp.Tests;

/// <summary>
/// The shared inbox in Chromium: assignment to a colleague and to a team and finding it as that colleague, the views and
/// status filters, mark unread; internal messages to a colleague's team and their notification.
/// </summary>
public sealed class InboxBrowserTests(SampleSite site) : IClassFixture<SampleSite>
{
    [PeerFact("MESSAGING_CHROMIUM")]
    public async Task Conversations_assigned_to_a_colleague_and_a_team_are_found_in_their_views_and_filters()
    {
        // Alice messages Jane and assigns the conversation to Bob; she messages John and assigns it to the nurses.
        await using var staff = await site.NewDesktopAsync();
        var alice = await staff.NewPageAsync();
        await ActAsAsync(alice, "alice");
        var jane = await SendAndAssignAsync(alice, "p-1001", "Please book a follow-up appointment.", "staff:bob");
        await SendAndAssignAsync(alice, "p-1002", "Your prescription is ready to collect.", "team:derm-nurses");
        await Assertions.Expect(alice.GetByText("assigned to Dermatology nurses")).ToBeVisibleAsync();

        // Bob: Jane's conversation is under "Assigned to me", unread; opening it reads it; "Mark unread" brings it back.
        await using var phone = await site.NewPhoneAsync();
        var bob = await phone.NewPageAsync();
        await ActAsAsync(bob, "bob");
        await bob.GotoAsync("/inbox");
        var rows = bob.GetByRole(AriaRole.Table, new() { Name = "Conversations" }).Locator("tbody tr");
        await Assertions.Expect(rows.Filter(new() { HasText = "Jane Doe" })).ToHaveClassAsync("unread");
        await bob.ScreenshotAsync(new() { Path = Screenshots.PathFor("inbox-phone.png"), FullPage = true });
        await rows.Filter(new() { HasText = "Jane Doe" }).GetByRole(AriaRole.Link, new() { Name = "Jane Doe" }).ClickAsync();
        await Assertions.Expect(bob.GetByText("Please book a follow-up appointment.")).ToBeVisibleAsync();
        await bob.GotoAsync("/inbox");
        await Assertions.Expect(rows.Filter(new() { HasText = "Jane Doe" })).Not.ToHaveClassAsync("unread");
        await bob.GotoAsync(jane);
        await bob.GetByRole(AriaRole.Button, new() { Name = "Mark unread" }).ClickAsync();
        await Assertions.Expect(rows.Filter(new() { HasText = "Jane Doe" })).ToHaveClassAsync("unread");
        await bob.GotoAsync("/inbox?view=mine&unread=true");
        await Assertions.Expect(rows.Filter(new() { HasText = "Jane Doe" })).ToHaveCountAsync(1);

        // Carol, a nurse: John's conversation is under the team's view, not under hers.
        await using var other = await site.NewDesktopAsync();
        var carol = await other.NewPageAsync();
        await ActAsAsync(carol, "carol");
        await carol.GotoAsync("/inbox");
        await carol.GetByRole(AriaRole.Link, new() { Name = "Assigned to Dermatology nurses" }).ClickAsync();
        var carolRows = carol.GetByRole(AriaRole.Table, new() { Name = "Conversations" }).Locator("tbody tr");
        await Assertions.Expect(carolRows.Filter(new() { HasText = "John Smith" })).ToHaveCountAsync(1);
        await carol.ScreenshotAsync(new() { Path = Screenshots.PathFor("inbox-team-desktop.png"), FullPage = true });
        await carol.GetByRole(AriaRole.Link, new() { Name = "Assigned to me" }).ClickAsync();
        await Assertions.Expect(carolRows.Filter(new() { HasText = "John Smith" })).ToHaveCountAsync(0);

        // Done: gone from the Open filter, found under Done; "Sent by me" shows Alice both.
        await alice.GotoAsync(jane);
        await alice.GetByRole(AriaRole.Button, new() { Name = "Mark done" }).ClickAsync();
        await bob.GotoAsync("/inbox?view=mine&status=open");
        await Assertions.Expect(rows.Filter(new() { HasText = "Jane Doe" })).ToHaveCountAsync(0);
        await bob.GotoAsync("/inbox?view=mine&status=done");
        await Assertions.Expect(rows.Filter(new() { HasText = "Jane Doe" })).ToHaveCountAsync(1);
        await alice.GotoAsync("/inbox?view=sent&status=any");
        var sent = alice.GetByRole(AriaRole.Table, new() { Name = "Conversations" });
        await Assertions.Expect(sent).ToContainTextAsync("Jane Doe");
        await Assertions.Expect(sent).ToContainTextAsync("John Smith");
    }

    [PeerFact("MESSAGING_CHROMIUM")]
    public async Task An_internal_message_to_a_team_notifies_each_member_and_any_of_them_can_reply()
    {
        await using var staff = await site.NewDesktopAsync();
        var alice = await staff.NewPageAsync();
        await ActAsAsync(alice, "alice");
        await alice.GotoAsync("/internal/new");
        await alice.GetByLabel("Dermatology nurses (everyone in the team)").CheckAsync();
        await alice.GetByLabel("About a patient (optional)").SelectOptionAsync("p-1003");
        await alice.GetByLabel("Subject").FillAsync("Priya's dressing");
        await alice.GetByLabel("Message").FillAsync("Could one of you check Priya's dressing at her visit today?");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Send internal message" }).ClickAsync();
        await Assertions.Expect(alice.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Priya's dressing");

        // Carol, in the team: a notification (badge in the navigation) that opens the thread; she replies.
        await using var phone = await site.NewPhoneAsync();
        var carol = await phone.NewPageAsync();
        await ActAsAsync(carol, "carol");
        await carol.GotoAsync("/notifications");
        await Assertions.Expect(carol.GetByRole(AriaRole.Link, new() { Name = "Notifications" }).Locator(".badge")).ToHaveTextAsync("1");
        await Assertions.Expect(carol.GetByText("A colleague sent you a secure message")).ToBeVisibleAsync();
        await carol.ScreenshotAsync(new() { Path = Screenshots.PathFor("notifications-phone.png"), FullPage = true });
        await carol.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await Assertions.Expect(carol.GetByText("Could one of you check Priya's dressing at her visit today?")).ToBeVisibleAsync();
        await carol.GetByLabel("Reply").FillAsync("I will check it at 2pm.");
        await carol.GetByRole(AriaRole.Button, new() { Name = "Reply", Exact = true }).ClickAsync();
        await Assertions.Expect(carol.GetByText("I will check it at 2pm.")).ToBeVisibleAsync();

        // Bob, also in the team, was notified too and sees Carol's reply in the same thread.
        await using var other = await site.NewDesktopAsync();
        var bob = await other.NewPageAsync();
        await ActAsAsync(bob, "bob");
        await bob.GotoAsync("/notifications");
        await bob.GetByRole(AriaRole.Button, new() { Name = "Open" }).First.ClickAsync();
        await Assertions.Expect(bob.GetByText("I will check it at 2pm.")).ToBeVisibleAsync();
        await bob.ScreenshotAsync(new() { Path = Screenshots.PathFor("internal-thread-desktop.png"), FullPage = true });

        // The content-free email each was sent says nothing about the patient.
        await bob.GotoAsync("/dev/mailbox");
        var notice = bob.Locator("article.message").Filter(new() { HasText = "carol@northshire.nhs.example" }).First;
        await Assertions.Expect(notice).ToBeVisibleAsync();
        await Assertions.Expect(notice).Not.ToContainTextAsync("Priya");
    }

    private static async Task<string> SendAndAssignAsync(IPage desk, string patient, string text, string assignee)
    {
        await desk.GotoAsync("/send");
        await desk.Locator("#patient").SelectOptionAsync(patient);
        await desk.GetByLabel("Message").FillAsync(text);
        await desk.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Assertions.Expect(desk.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Conversation");
        var url = desk.Url;
        await desk.GetByLabel("Assign to").SelectOptionAsync(assignee);
        await desk.GetByRole(AriaRole.Button, new() { Name = "Assign", Exact = true }).ClickAsync();
        return url;
    }
}
