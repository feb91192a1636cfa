using Messaging.Testing.Peers;
using Microsoft.Playwright;
using static Messaging.SampleApp.Tests.PatientReplyBrowserTests;

namespace Messaging.SampleApp.Tests;

/// <summary>
/// The dev phone and dev mailbox playing the provider, in Chromium: delivery reports applied through the SDK's status
/// path (forward only), and a patient texting STOP and START through its inbound path.
/// </summary>
public sealed class DevPhoneBrowserTests(SampleSite site) : IClassFixture<SampleSite>
{
    [PeerFact("MESSAGING_CHROMIUM")]
    public async Task Delivery_reports_from_the_dev_phone_and_mailbox_reach_the_conversation_and_only_move_forward()
    {
        await using var staff = await site.NewDesktopAsync();
        var desk = await staff.NewPageAsync();
        await ActAsAsync(desk, "alice");
        await SendAsync(desk, "p-1002", "Your blood test is booked for Tuesday.");
        var conversation = desk.Url;

        await desk.GotoAsync("/dev/phone");
        var sms = desk.Locator("article.sms").Filter(new() { HasText = "Your blood test is booked for Tuesday." });
        await sms.GetByRole(AriaRole.Button, new() { Name = "Undelivered" }).ClickAsync();
        await Assertions.Expect(desk.GetByRole(AriaRole.Status)).ToContainTextAsync("Reported undelivered: applied to the message");
        await desk.ScreenshotAsync(new() { Path = Screenshots.PathFor("dev-phone-status-desktop.png"), FullPage = true });

        // A later "failed" for a message already undelivered changes nothing (R13).
        await sms.GetByRole(AriaRole.Button, new() { Name = "Failed" }).ClickAsync();
        await Assertions.Expect(desk.GetByRole(AriaRole.Status)).ToContainTextAsync("Reported failed: ignored");
        await desk.GotoAsync(conversation);
        await Assertions.Expect(desk.Locator(".message .meta").First).ToContainTextAsync("Undelivered");

        // An email, reported delivered from the dev mailbox.
        await desk.GotoAsync("/send?channel=email&patient=p-1002");
        await desk.GetByLabel("Message").FillAsync("Please find your appointment letter details below.");
        await desk.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        var emailConversation = desk.Url;
        await desk.GotoAsync("/dev/mailbox");
        var email = desk.Locator("article.message").Filter(new() { HasText = "Please find your appointment letter details below." });
        await email.GetByRole(AriaRole.Button, new() { Name = "Delivered", Exact = true }).ClickAsync();
        await Assertions.Expect(desk.GetByRole(AriaRole.Status)).ToContainTextAsync("Reported delivered: applied to the message");
        await desk.GotoAsync(emailConversation);
        await Assertions.Expect(desk.Locator(".message .meta").Filter(new() { HasText = "Email" }).Last).ToContainTextAsync("Delivered");
    }

    [PeerFact("MESSAGING_CHROMIUM")]
    public async Task A_patient_texts_STOP_from_the_dev_phone_and_is_sent_no_more_SMS_until_START()
    {
        await using var phone = await site.NewPhoneAsync();
        var patient = await phone.NewPageAsync();
        await patient.GotoAsync("/dev/phone");
        await patient.GetByLabel("Text the practice").SelectOptionAsync(new SelectOptionValue { Label = "Priya Patel's phone" });
        await patient.GetByLabel("Text", new() { Exact = true }).FillAsync("STOP");
        await patient.GetByRole(AriaRole.Button, new() { Name = "Send text" }).ClickAsync();
        await Assertions.Expect(patient.GetByRole(AriaRole.Status)).ToContainTextAsync("Opted out");
        await patient.ScreenshotAsync(new() { Path = Screenshots.PathFor("dev-phone-stop-phone.png"), FullPage = true });

        // Staff try to text Priya: the SDK does not send it.
        await using var staff = await site.NewDesktopAsync();
        var desk = await staff.NewPageAsync();
        await ActAsAsync(desk, "alice");
        await SendAsync(desk, "p-1003", "Reminder: your appointment is tomorrow.");
        await Assertions.Expect(desk.Locator("main")).ToContainTextAsync("opted out");
        await desk.GotoAsync("/dev/phone");
        await Assertions.Expect(desk.Locator("article.sms").Filter(new() { HasText = "Reminder: your appointment is tomorrow." })).ToHaveCountAsync(0);

        // START opts back in: the next SMS arrives.
        await patient.GetByLabel("Text the practice").SelectOptionAsync(new SelectOptionValue { Label = "Priya Patel's phone" });
        await patient.GetByLabel("Text", new() { Exact = true }).FillAsync("START");
        await patient.GetByRole(AriaRole.Button, new() { Name = "Send text" }).ClickAsync();
        await Assertions.Expect(patient.GetByRole(AriaRole.Status)).ToContainTextAsync("Opted back in");
        await SendAsync(desk, "p-1003", "Reminder: your appointment is on Friday.");
        await desk.GotoAsync("/dev/phone");
        await Assertions.Expect(desk.Locator("article.sms").Filter(new() { HasText = "Reminder: your appointment is on Friday." })).ToHaveCountAsync(1);
    }

    private static async Task SendAsync(IPage desk, string patient, string text)
    {
        await desk.GotoAsync("/send");
        await desk.Locator("#patient").SelectOptionAsync(patient);
        await desk.GetByLabel("Message").FillAsync(text);
        await desk.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
    }
}
