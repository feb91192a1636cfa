using Messaging.Testing.Peers;
using Microsoft.Playwright;
using static Messaging.SampleApp.Tests.PatientReplyBrowserTests;

namespace Messaging.SampleApp.Tests;

/// <summary>
/// The patient record in Chromium, as the practice guide walks it: find by NHS number and date of birth, My and All
/// conversations, continue one with "Message patient", the Messages tab with statuses, an attachment sent as a link;
/// and the Direct-Message form refusing a patient without an email.
/// </summary>
public sealed class PatientRecordBrowserTests(SampleSite site) : IClassFixture<SampleSite>
{
    [PeerFact("MESSAGING_CHROMIUM")]
    public async Task A_colleague_finds_the_patient_sees_all_conversations_and_continues_one()
    {
        // Alice sends Jane a leaflet as an attachment: the SMS carries a download link, not the file.
        await using var staff = await site.NewDesktopAsync();
        var alice = await staff.NewPageAsync();
        await ActAsAsync(alice, "alice");
        await alice.GotoAsync("/send");
        await alice.Locator("#patient").SelectOptionAsync("p-1001");
        await alice.GetByLabel("Message").FillAsync("Here is the leaflet about your cream.");
        await alice.GetByLabel("Attach a file").SetInputFilesAsync(new FilePayload { Name = "leaflet.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.7\n% leaflet\n"u8.ToArray() });
        await alice.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Assertions.Expect(alice.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Conversation");
        await alice.GotoAsync("/dev/phone");
        var sms = alice.Locator("article.sms").Filter(new() { HasText = "Here is the leaflet about your cream." });
        (await sms.GetByRole(AriaRole.Link).First.GetAttributeAsync("href")).Should().StartWith(site.BaseUrl + "/m/");

        // Bob finds Jane by NHS number and date of birth: none of his own conversations, Alice's under "All".
        await using var other = await site.NewDesktopAsync();
        var bob = await other.NewPageAsync();
        await ActAsAsync(bob, "bob");
        await bob.GotoAsync("/patients");
        await bob.GetByLabel("NHS number").FillAsync("943 476 5919");
        await bob.GetByLabel("Date of birth").FillAsync("1970-03-14");
        await bob.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        await Assertions.Expect(bob.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Jane Doe");
        await Assertions.Expect(bob.GetByText("No conversations.")).ToBeVisibleAsync();
        await bob.GetByRole(AriaRole.Link, new() { Name = "All conversations" }).ClickAsync();
        await Assertions.Expect(bob.GetByRole(AriaRole.Link, new() { Name = "Started by Dr Alice Adams" })).ToBeVisibleAsync();

        // The Messages tab lists the message with its delivery status.
        await Assertions.Expect(bob.Locator("main")).ToContainTextAsync("Here is the leaflet about your cream.");

        // He continues Alice's conversation with "Message patient".
        await bob.GetByRole(AriaRole.Link, new() { Name = "Started by Dr Alice Adams" }).ClickAsync();
        await bob.GetByRole(AriaRole.Link, new() { Name = "Message patient" }).ClickAsync();
        await Assertions.Expect(bob.GetByText("Continuing the conversation with Jane Doe.")).ToBeVisibleAsync();
        await bob.GetByLabel("Message", new() { Exact = true }).FillAsync("Apply it twice a day.");
        await bob.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Assertions.Expect(bob.GetByText("Here is the leaflet about your cream.")).ToBeVisibleAsync();
        await Assertions.Expect(bob.GetByText("Apply it twice a day.")).ToBeVisibleAsync();
        await bob.ScreenshotAsync(new() { Path = Screenshots.PathFor("conversation-continued-desktop.png"), FullPage = true });
    }

    [PeerFact("MESSAGING_CHROMIUM")]
    public async Task A_Direct_Message_to_a_patient_without_an_email_is_refused()
    {
        await using var staff = await site.NewPhoneAsync();
        var desk = await staff.NewPageAsync();
        await ActAsAsync(desk, "alice");
        await desk.GotoAsync("/direct/new");
        await desk.GetByLabel("Patient").SelectOptionAsync("p-1003");
        await desk.GetByLabel("Confidential message").FillAsync("Your results are attached.");
        await desk.GetByRole(AriaRole.Button, new() { Name = "Send Direct Message" }).ClickAsync();
        await Assertions.Expect(desk.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("That did not work");
        await Assertions.Expect(desk.Locator("main code")).ToHaveTextAsync("message.recipient_missing");
        await desk.ScreenshotAsync(new() { Path = Screenshots.PathFor("direct-no-email-phone.png"), FullPage = true });
        await desk.GotoAsync("/dev/mailbox");
        await Assertions.Expect(desk.GetByText("No email yet.")).ToBeVisibleAsync();
    }
}
