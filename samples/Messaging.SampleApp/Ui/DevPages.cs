using Messaging.SampleApp.Dev;
using Microsoft.AspNetCore.Mvc;
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
        app.MapPost("/dev/status", ReportStatusAsync);
        app.MapPost("/dev/phone/text", TextThePracticeAsync);
    }

    /// <summary>The practice's SMS number, as the dev phone's patients text it.</summary>
    public static readonly PhoneNumber PracticeNumber = PhoneNumber.FromE164("+447700900123");

    /// <summary>
    /// Plays the provider's delivery report for a captured message: the same <see cref="IDeliveryStatusService"/> the
    /// Twilio status webhook applies its reports through (R13: forward only; a second final status is ignored).
    /// </summary>
    private static async Task<IResult> ReportStatusAsync(HttpContext context, [FromForm] string provider, [FromForm] string id, [FromForm] string status, IDeliveryStatusService statuses)
    {
        var (value, raw, code) = status switch
        {
            "delivered" => (DeliveryStatus.Delivered, "delivered", (string?)null),
            "undelivered" => (DeliveryStatus.Undelivered, "undelivered", "30003"),
            _ => (DeliveryStatus.Failed, "failed", "30008"),
        };
        var name = provider == "dev-mailbox" ? "dev-mailbox" : "dev-phone";
        var outcome = await statuses.ApplyAsync(new DeliveryStatusUpdate(name, id, value, raw, code), context.RequestAborted);
        return Results.Redirect($"/dev/{(name == "dev-mailbox" ? "mailbox" : "phone")}?reported={Uri.EscapeDataString(raw)}&outcome={outcome}");
    }

    /// <summary>
    /// A patient texts the practice's number from the dev phone: the same <see cref="IOptOutService"/> the SMS
    /// provider's inbound webhook hands texts to (R14), so STOP opts the number out and START back in.
    /// </summary>
    private static async Task<IResult> TextThePracticeAsync(HttpContext context, [FromForm] string from, [FromForm] string body, IOptOutService optOuts)
    {
        var sms = new InboundSms("dev-phone", "dev-in-" + Guid.NewGuid().ToString("N")[..12], PhoneNumber.FromE164(from), PracticeNumber, body);
        var keyword = await optOuts.HandleInboundAsync(SampleData.Trust, sms, context.RequestAborted);
        return Results.Redirect($"/dev/phone?keyword={keyword}");
    }

    private static string StatusButtons(HttpContext context, string provider, string id) => $"""
        <form method="post" action="/dev/status" class="inline">{Token(context)}<input type="hidden" name="provider" value="{provider}"><input type="hidden" name="id" value="{H(id)}">
        <span class="meta">As the provider, report:</span>
        <button type="submit" name="status" value="delivered" class="secondary">Delivered</button>
        <button type="submit" name="status" value="undelivered" class="secondary">Undelivered</button>
        <button type="submit" name="status" value="failed" class="secondary">Failed</button></form>
        """;

    private static string Outcome(HttpContext context)
    {
        var query = context.Request.Query;
        if (query["keyword"] is { Count: 1 } keyword)
        {
            var text = keyword.ToString() switch
            {
                nameof(InboundKeyword.OptOut) => "Opted out: the practice will send this number no more SMS until it texts START.",
                nameof(InboundKeyword.OptIn) => "Opted back in: SMS to this number are sent again.",
                _ => "Not a keyword: nobody reads texts to this number (replies go through reply links).",
            };
            return $"<p class=\"notice\" role=\"status\">{H(text)}</p>";
        }

        return query["reported"] is { Count: 1 } reported && query["outcome"] is { Count: 1 } outcome
            ? $"<p class=\"notice\" role=\"status\">Reported <strong>{H(reported)}</strong>: {H(outcome.ToString() == nameof(DeliveryUpdateOutcome.Applied) ? "applied to the message" : outcome.ToString() == nameof(DeliveryUpdateOutcome.Ignored) ? "ignored, the message already has a final status (R13: status only moves forward)" : "no such message")}.</p>"
            : string.Empty;
    }

    /// <summary>
    /// Waits (at most a few seconds) until the outbox has nothing due, so a message sent a moment ago is on the page:
    /// the dispatcher sends in the background, and this page is where you look for what it sent. The store tells the
    /// backlog through <see cref="Messaging.Storage.IOutboxBacklogReader"/>, the optional capability the health checks use.
    /// </summary>
    private static async Task OutboxSettledAsync(HttpContext context)
    {
        if (context.RequestServices.GetService<Messaging.Storage.IMessagingStore>() is not Messaging.Storage.IOutboxBacklogReader backlog)
        {
            return;
        }

        var clock = context.RequestServices.GetRequiredService<NodaTime.IClock>();
        var until = DateTime.UtcNow.AddSeconds(10);
        while ((await backlog.GetOutboxBacklogAsync(clock.GetCurrentInstant(), context.RequestAborted)).Due > 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(50, context.RequestAborted);
        }
    }

    private static async Task<IResult> PhoneAsync(HttpContext context)
    {
        await OutboxSettledAsync(context);
        if (context.RequestServices.GetService<DevPhone>() is not { } phone)
        {
            return await PageAsync(context, "Dev phone", "<p>SMS are sent through Twilio (<code>Messaging:Twilio</code> is configured), so nothing is captured here.</p>");
        }

        var messages = string.Concat(phone.Received.Select(sms => $"""
            <article class="sms" aria-label="SMS to {H(sms.To.Value)}">
            <p class="meta">To {H(sms.To.Value)} ({H(StaffPages.PatientName(PatientFor(sms.To)))}) · {StaffPages.Time(sms.ReceivedAt)}</p>{StatusButtons(context, "dev-phone", sms.Id)}{Linkify(sms.Body)}</article>
            """));
        return await PageAsync(context, "Dev phone", $"""
            {Outcome(context)}
            <div class="phone"><p>Every SMS the app sent, newest first. Click a link as the patient would, or report its delivery as the provider would.</p>
            <form method="post" action="/dev/phone/text">{Token(context)}
            <label for="from">Text the practice ({H(PracticeNumber.Value)}) from</label><select id="from" name="from">{Options(SampleData.Patients.Where(p => p.Mobile is not null).Select(p => (E164(p.Mobile!), $"{p.GivenName} {p.FamilyName}'s phone")), null)}</select>
            <label for="text">Text</label><input type="text" id="text" name="body" value="STOP">
            <button type="submit">Send text</button>
            </form>
            {(messages.Length == 0 ? "<p>No SMS yet.</p>" : messages)}</div>
            """);
    }

    private static async Task<IResult> MailboxAsync(HttpContext context)
    {
        await OutboxSettledAsync(context);
        if (context.RequestServices.GetService<DevMailbox>() is not { } mailbox)
        {
            return await PageAsync(context, "Dev mailbox", "<p>Email is sent through SMTP (<code>Messaging:Smtp</code> is configured), so nothing is captured here.</p>");
        }

        var emails = string.Concat(mailbox.Received.Select(mail => $"""
            <article class="message" aria-label="Email to {H(mail.To.Value)}">
            <p class="meta">To {H(mail.To.Value)} · {StaffPages.Time(mail.ReceivedAt)}</p>{StatusButtons(context, "dev-mailbox", mail.Id)}<h2>{H(mail.Subject)}</h2>{Linkify(mail.TextBody)}</article>
            """));
        return await PageAsync(context, "Dev mailbox", $"""
            {Outcome(context)}
            <p>Every email the app sent (to patients, and the SDK's content-free notices to staff), newest first; report its delivery as the provider would.</p>
            {(emails.Length == 0 ? "<p>No email yet.</p>" : emails)}
            """);
    }

    /// <summary>A UK mobile as the EHR holds it ("07400 123456"), in E.164 ("+447400123456").</summary>
    private static string E164(string mobile) => "+44" + mobile.Replace(" ", string.Empty, StringComparison.Ordinal)[1..];

    private static string PatientFor(PhoneNumber number)
        => SampleData.Patients.FirstOrDefault(p => p.Mobile is { } m && m.Replace(" ", string.Empty, StringComparison.Ordinal)[1..] == number.Value[3..])?.PatientId.Value ?? "unknown";
}
