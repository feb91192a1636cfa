using Messaging.SampleApp.Dev;
using static Messaging.SampleApp.Ui.Ui;

namespace Messaging.SampleApp.Ui;

/// <summary>
/// The "dev phone" and "dev mailbox": what the development providers captured instead of sending, with the links
/// clickable, so you can play the patient. With real Twilio or SMTP configured these pages say so.
/// </summary>
public static class DevPages
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/dev/phone", (Delegate)PhoneAsync);
        app.MapGet("/dev/mailbox", (Delegate)MailboxAsync);
    }

    private static Task<IResult> PhoneAsync(HttpContext context)
    {
        if (context.RequestServices.GetService<DevPhone>() is not { } phone)
        {
            return PageAsync(context, "Dev phone", "<p>SMS are sent through Twilio (<code>Messaging:Twilio</code> is configured), so nothing is captured here.</p>");
        }

        var messages = string.Concat(phone.Received.Select(sms => $"""
            <article class="sms" aria-label="SMS to {H(sms.To.Value)}">
            <p class="meta">To {H(sms.To.Value)} ({H(StaffPages.PatientName(PatientFor(sms.To)))}) · {StaffPages.Time(sms.ReceivedAt)}</p>{Linkify(sms.Body)}</article>
            """));
        return PageAsync(context, "Dev phone", $"""
            <div class="phone"><p>Every SMS the app sent, newest first. Click a link as the patient would.</p>
            {(messages.Length == 0 ? "<p>No SMS yet.</p>" : messages)}</div>
            """);
    }

    private static Task<IResult> MailboxAsync(HttpContext context)
    {
        if (context.RequestServices.GetService<DevMailbox>() is not { } mailbox)
        {
            return PageAsync(context, "Dev mailbox", "<p>Email is sent through SMTP (<code>Messaging:Smtp</code> is configured), so nothing is captured here.</p>");
        }

        var emails = string.Concat(mailbox.Received.Select(mail => $"""
            <article class="message" aria-label="Email to {H(mail.To.Value)}">
            <p class="meta">To {H(mail.To.Value)} · {StaffPages.Time(mail.ReceivedAt)}</p><h2>{H(mail.Subject)}</h2>{Linkify(mail.TextBody)}</article>
            """));
        return PageAsync(context, "Dev mailbox", $"""
            <p>Every email the app sent (to patients, and the SDK's content-free notices to staff), newest first.</p>
            {(emails.Length == 0 ? "<p>No email yet.</p>" : emails)}
            """);
    }

    private static string PatientFor(PhoneNumber number)
        => SampleData.Patients.FirstOrDefault(p => p.Mobile is { } m && m.Replace(" ", string.Empty, StringComparison.Ordinal)[1..] == number.Value[3..])?.PatientId.Value ?? "unknown";
}
