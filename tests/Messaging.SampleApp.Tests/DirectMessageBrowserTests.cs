using Messaging.Testing.Peers;
using Microsoft.Playwright;

namespace Messaging.SampleApp.Tests;

/// <summary>
/// Direct Messages in Debian's Chromium against the sample app: staff send one, the patient opens the link from the dev
/// mailbox and types the code from the dev phone on a phone-sized screen.
/// </summary>
public sealed class DirectMessageBrowserTests(SampleSite site) : IClassFixture<SampleSite>
{
    private const string Content = "Your biopsy showed no cancer cells. No further treatment is needed; we will see you in 6 months.";

    [PeerFact("MESSAGING_CHROMIUM")]
    public async Task A_Direct_Message_is_unlocked_with_the_code_read_from_the_dev_phone()
    {
        await using var staff = await site.NewDesktopAsync();
        var desk = await staff.NewPageAsync();
        var (link, code) = await SendAsync(desk);

        await using var phone = await site.NewPhoneAsync();
        var patient = await phone.NewPageAsync();
        await patient.GotoAsync(link);
        await Assertions.Expect(patient.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Enter your access code");
        (await patient.ContentAsync()).Should().NotContain("biopsy", "nothing of the message shows before the code");
        await patient.GetByLabel("Access code").FillAsync(code);
        await patient.ScreenshotAsync(new() { Path = Screenshots.PathFor("unlock-page.png"), FullPage = true });
        await patient.GetByRole(AriaRole.Button, new() { Name = "Show my message" }).ClickAsync();

        await Assertions.Expect(patient.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Your biopsy result");
        await Assertions.Expect(patient.GetByText(Content)).ToBeVisibleAsync();
        await Assertions.Expect(patient.GetByText("From Dr Alice Adams")).ToBeVisibleAsync();
        var download = await patient.RunAndWaitForDownloadAsync(() => patient.GetByRole(AriaRole.Link, new() { Name = "biopsy-letter.pdf" }).ClickAsync());
        download.SuggestedFilename.Should().Be("biopsy-letter.pdf");
        await patient.ScreenshotAsync(new() { Path = Screenshots.PathFor("unlocked-message.png"), FullPage = true });

        // Staff see it unlocked, with the unlock in the audit trail.
        await desk.ReloadAsync();
        await Assertions.Expect(desk.GetByText("Unlocked", new() { Exact = false }).First).ToBeVisibleAsync();
        await Assertions.Expect(desk.GetByRole(AriaRole.Cell, new() { Name = "directmessage.unlocked" })).ToBeVisibleAsync();
    }

    [PeerFact("MESSAGING_CHROMIUM")]
    public async Task Three_wrong_codes_show_the_attempts_left()
    {
        await using var staff = await site.NewDesktopAsync();
        var desk = await staff.NewPageAsync();
        var (link, code) = await SendAsync(desk);

        await using var phone = await site.NewPhoneAsync();
        var patient = await phone.NewPageAsync();
        await patient.GotoAsync(link);
        var expected = new[] { "You have 4 attempts left.", "You have 3 attempts left.", "You have 2 attempts left." };
        foreach (var attemptsLeft in expected)
        {
            await patient.GetByLabel("Access code").FillAsync("WRONGCODE");
            await patient.GetByRole(AriaRole.Button, new() { Name = "Show my message" }).ClickAsync();
            await Assertions.Expect(patient.Locator("#code-error")).ToContainTextAsync(attemptsLeft);
            await Assertions.Expect(patient.GetByRole(AriaRole.Alert)).ToContainTextAsync("The code is not right.");
        }

        await Assertions.Expect(patient.GetByLabel("Access code")).ToHaveAttributeAsync("aria-invalid", "true");
        await patient.ScreenshotAsync(new() { Path = Screenshots.PathFor("unlock-wrong-code.png"), FullPage = true });

        // Two attempts remain: the right code still opens it.
        await patient.GetByLabel("Access code").FillAsync(code);
        await patient.GetByRole(AriaRole.Button, new() { Name = "Show my message" }).ClickAsync();
        await Assertions.Expect(patient.GetByText(Content)).ToBeVisibleAsync();
    }

    /// <summary>Dr Alice Adams sends Jane a Direct Message with a letter; returns the link from the dev mailbox and the code from the dev phone.</summary>
    private async Task<(string Link, string Code)> SendAsync(IPage desk)
    {
        await PatientReplyBrowserTests.ActAsAsync(desk, "alice");
        await desk.GotoAsync("/direct/new");
        await desk.GetByLabel("Patient").SelectOptionAsync("p-1001");
        await desk.GetByLabel("Title").FillAsync("Your biopsy result");
        await desk.GetByLabel("Confidential message").FillAsync(Content);
        await desk.GetByLabel("Document or form").SetInputFilesAsync(new FilePayload { Name = "biopsy-letter.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.7\n% a letter\n"u8.ToArray() });
        await desk.GetByRole(AriaRole.Button, new() { Name = "Send Direct Message" }).ClickAsync();
        await Assertions.Expect(desk.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Direct Message");
        var messageUrl = desk.Url;

        var mailbox = await desk.Context.NewPageAsync();
        await mailbox.GotoAsync("/dev/mailbox");
        var email = mailbox.Locator("article", new() { HasText = "/m/d/" }).First; // newest first
        var link = await email.GetByRole(AriaRole.Link).First.GetAttributeAsync("href");
        (await email.InnerTextAsync()).Should().NotContain("biopsy", "the email carries only the link");

        await mailbox.GotoAsync("/dev/phone");
        var sms = mailbox.Locator("article.sms").First;
        var text = (await sms.InnerTextAsync()).Trim();
        text.Should().Contain("the access code for the secure message we emailed you is").And.NotContain("biopsy");
        var code = text.Split(' ', '\n')[^1];
        await mailbox.CloseAsync();

        link.Should().StartWith(site.BaseUrl + "/m/d/");
        desk.Url.Should().Be(messageUrl);
        return (link!, code);
    }
}
