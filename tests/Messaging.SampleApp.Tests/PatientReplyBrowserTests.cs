using Messaging.Testing.Peers;
using Microsoft.Playwright;

namespace Messaging.SampleApp.Tests;

/// <summary>
/// A patient's reply through the link, in Debian's Chromium against the sample app: staff send from the staff pages,
/// the link is read from the dev phone page, the patient replies on a phone-sized screen, and the link is then spent.
/// </summary>
public sealed class PatientReplyBrowserTests(SampleSite site) : IClassFixture<SampleSite>
{
    [PeerFact("MESSAGING_CHROMIUM")]
    public async Task A_patient_replies_through_the_link_and_the_same_link_then_shows_already_used()
    {
        // Staff: Dr Alice Adams sends Jane the shared "Photo request" template with "Allow patient to reply".
        await using var staff = await site.NewDesktopAsync();
        var desk = await staff.NewPageAsync();
        await ActAsAsync(desk, "alice");
        await desk.GotoAsync("/send");
        await desk.Locator("#tpatient").SelectOptionAsync("p-1001");
        await desk.GetByLabel("Template").SelectOptionAsync(new SelectOptionValue { Label = "Photo request (shared)" });
        await desk.GetByRole(AriaRole.Button, new() { Name = "Use template" }).ClickAsync();
        const string rendered = "Dear Jane, please reply with a photo of the affected skin so we can review it before your appointment. Dr Alice Adams";
        await Assertions.Expect(desk.Locator("#body")).ToHaveValueAsync(rendered);
        await desk.GetByLabel("Allow patient to reply").CheckAsync();
        await desk.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Assertions.Expect(desk.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Conversation");

        // The dev phone shows the SMS with a clickable reply link.
        await desk.GotoAsync("/dev/phone");
        var sms = desk.Locator("article.sms").First; // newest first
        await Assertions.Expect(sms).ToContainTextAsync(rendered);
        var link = await sms.GetByRole(AriaRole.Link).GetAttributeAsync("href");
        link.Should().StartWith(site.BaseUrl + "/m/r/");

        // The patient, on a phone: the message, a labelled reply box and file input, and the reply with a photo.
        await using var phone = await site.NewPhoneAsync();
        var patient = await phone.NewPageAsync();
        await patient.GotoAsync(link!);
        await Assertions.Expect(patient.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Reply to your care team");
        await Assertions.Expect(patient.GetByText(rendered)).ToBeVisibleAsync();
        await Assertions.Expect(patient.GetByText("Message from Dr Alice Adams")).ToBeVisibleAsync();
        await patient.GetByLabel("Your reply").FillAsync("Here is a photo from this morning. It is less red than last week.");
        await patient.GetByLabel("Add a photo or document (optional)").SetInputFilesAsync(new FilePayload { Name = "rash.png", MimeType = "image/png", Buffer = OnePixelPng });
        await patient.ScreenshotAsync(new() { Path = Screenshots.PathFor("reply-page.png"), FullPage = true });
        await patient.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await Assertions.Expect(patient.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Your reply has been sent");

        // The same link again: already used, no form.
        await patient.GotoAsync(link!);
        await Assertions.Expect(patient.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You have already replied");
        await Assertions.Expect(patient.GetByText("This link has already been used")).ToBeVisibleAsync();
        (await patient.Locator("form").CountAsync()).Should().Be(0);
        await patient.ScreenshotAsync(new() { Path = Screenshots.PathFor("reply-already-used.png"), FullPage = true });

        // Staff: Alice (the assignee) was notified; the reply and its photo are in the conversation.
        await desk.GotoAsync("/notifications");
        await desk.GetByRole(AriaRole.Button, new() { Name = "Open" }).First.ClickAsync();
        await Assertions.Expect(desk.GetByText("Here is a photo from this morning. It is less red than last week.")).ToBeVisibleAsync();
        var download = await desk.RunAndWaitForDownloadAsync(() => desk.GetByRole(AriaRole.Link, new() { Name = "attachment" }).ClickAsync());
        download.SuggestedFilename.Should().Be("rash.png");
    }

    private static readonly byte[] OnePixelPng = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    [PeerFact("MESSAGING_CHROMIUM")]
    public async Task The_reply_form_is_usable_by_keyboard_alone()
    {
        await using var staff = await site.NewDesktopAsync();
        var desk = await staff.NewPageAsync();
        await ActAsAsync(desk, "bob");
        const string question = "Any questions before your appointment on Friday?";
        await desk.GotoAsync("/send");
        await desk.Locator("#patient").SelectOptionAsync("p-1002");
        await desk.GetByLabel("Message").FillAsync(question);
        await desk.GetByLabel("Allow patient to reply").CheckAsync();
        await desk.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await desk.GotoAsync("/dev/phone");
        var sms = desk.Locator("article.sms").First; // newest first
        await Assertions.Expect(sms).ToContainTextAsync(question);
        var link = await sms.GetByRole(AriaRole.Link).GetAttributeAsync("href");

        await using var phone = await site.NewDesktopAsync();
        var patient = await phone.NewPageAsync();
        await patient.GotoAsync(link!);

        // Tab order: skip link, then the reply box; type; Tab past the file input to the button; Enter sends.
        await patient.Keyboard.PressAsync("Tab");
        (await patient.EvaluateAsync<string>("document.activeElement.textContent")).Should().Be("Skip to main content");
        await patient.Keyboard.PressAsync("Tab");
        (await patient.EvaluateAsync<string>("document.activeElement.id")).Should().Be("reply");
        await patient.Keyboard.TypeAsync("No questions, thanks.");
        await patient.Keyboard.PressAsync("Tab");
        (await patient.EvaluateAsync<string>("document.activeElement.id")).Should().Be("attachment");
        await patient.Keyboard.PressAsync("Tab");
        (await patient.EvaluateAsync<string>("document.activeElement.textContent")).Should().Be("Send reply");
        await patient.Keyboard.PressAsync("Enter");
        await Assertions.Expect(patient.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Your reply has been sent");
    }

    internal static async Task ActAsAsync(IPage page, string staffId, string workspace = "northshire-derm")
    {
        await page.GotoAsync("/");
        await page.Locator("#staff").SelectOptionAsync(staffId);
        await page.Locator("#workspace").SelectOptionAsync(workspace);
        await page.GetByRole(AriaRole.Button, new() { Name = "Act as this staff member" }).ClickAsync();
    }
}
