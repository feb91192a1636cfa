using Microsoft.Extensions.Logging;
using Xunit;

namespace Messaging.Testing.Providers;

/// <summary>A kind of delivery report a test server or the kit plants for an email.</summary>
public enum EmailReportKind
{
    /// <summary>The server is still trying (a DSN with <c>Action: delayed</c>, a temporary-failure callback): not final.</summary>
    Delayed = 0,

    /// <summary>The server gave up for good (a DSN with <c>Action: failed</c> and a 5.x.x status).</summary>
    Failed = 1,

    /// <summary>The server delivered it (a DSN with <c>Action: delivered</c>).</summary>
    Delivered = 2,
}

/// <summary>
/// The conformance suite of an email provider's delivery status reporting that does not come by webhook (R28), such as
/// SMTP's delivery reports read back over IMAP: a bounce from a real server ends as a final failure with its code, a
/// delivery as Delivered, a delay as nothing final, a report for an email never sent names no email that was, a report is
/// read once, and nothing personal reaches the updates or the logs (R22). A provider whose reports come by webhook (NHS
/// Notify) runs <see cref="ProviderWebhookConformanceTests"/> instead.
/// </summary>
/// <remarks>
/// <para>Derive one class in your test project and implement the harness: <see cref="CreateProviderAsync"/> makes your
/// provider, sending to a test server that delivers to <see cref="DeliverableAddress"/> (reporting the delivery) and
/// bounces <see cref="UndeliverableAddress"/>; <see cref="ReadReportsAsync"/> runs your reporting path once (e.g. your
/// bounce reader over the test mailbox) and returns the status updates it produced, which it must then not produce
/// again; <see cref="PlantReportAsync"/> puts a report where your reporting path finds it, as the server would.</para>
/// <para>Tests run one after another in one class; each sends its own emails, so reports from earlier tests may be
/// returned too and are ignored.</para>
/// </remarks>
public abstract class EmailStatusReportingConformanceTests
{
    private const string Subject = "Your colposcopy results from Dr Patel";
    private const string Body = "Dear Ms Okafor, your colposcopy with Dr Patel on Tuesday 14 March found no abnormal cells (ref 9F3K).";

    /// <summary>Makes the provider under test, sending to your test server and logging to the kit's logger provider.</summary>
    /// <param name="logs">The kit's logger provider.</param>
    protected abstract Task<IEmailProvider> CreateProviderAsync(ILoggerProvider logs);

    /// <summary>An address your test server accepts and then delivers, reporting the delivery.</summary>
    protected abstract EmailAddress DeliverableAddress { get; }

    /// <summary>An address your test server accepts and then bounces for good (e.g. an unknown local user: 5.1.1).</summary>
    protected abstract EmailAddress UndeliverableAddress { get; }

    /// <summary>
    /// Runs your reporting path once and returns the updates it produced since the last call, logging to
    /// <paramref name="logs"/>. A report returned once must not be returned again.
    /// </summary>
    /// <param name="logs">The kit's logger provider.</param>
    /// <param name="cancellationToken">Ends the read.</param>
    protected abstract Task<IReadOnlyList<DeliveryStatusUpdate>> ReadReportsAsync(ILoggerProvider logs, CancellationToken cancellationToken);

    /// <summary>Puts a report of <paramref name="kind"/> for <paramref name="providerMessageId"/> where your reporting path finds it.</summary>
    /// <param name="providerMessageId">The provider's id of an email, as its send returned it (or a forged one).</param>
    /// <param name="kind">What the report says.</param>
    protected abstract Task PlantReportAsync(string providerMessageId, EmailReportKind kind);

    /// <summary>
    /// An id in your provider's format that no email has, made from a real one. The default value changes the character
    /// in the middle of <paramref name="sentId"/>.
    /// </summary>
    /// <param name="sentId">The id of an email the kit sent.</param>
    protected virtual string ForgeProviderMessageId(string sentId)
    {
        ArgumentNullException.ThrowIfNull(sentId);
        var middle = sentId.Length / 2;
        var replacement = sentId[middle] == 'a' ? 'b' : 'a';
        return string.Concat(sentId.AsSpan(0, middle), replacement.ToString(), sentId.AsSpan(middle + 1));
    }

    /// <summary>How long the kit waits for a report to come back. The default value is 60 seconds.</summary>
    protected virtual TimeSpan ReportTimeout => TimeSpan.FromSeconds(60);

    /// <summary>A bounce from the server ends as a final failure for that email, with the provider's name and the server's code kept raw.</summary>
    [ProviderFact]
    public async Task A_bounce_from_the_server_is_reported_as_a_final_failure_with_its_code()
    {
        using var logs = new CapturedLogs();
        var (provider, id) = await SendAsync(UndeliverableAddress, logs);

        var update = await WaitForAsync(id, u => u.Status is DeliveryStatus.Undelivered or DeliveryStatus.Failed, logs);

        Assert.Equal(provider.Name, update.ProviderName);
        Assert.False(string.IsNullOrWhiteSpace(update.ErrorCode), "A failure report keeps the server's code (e.g. 5.1.1).");
        Assert.False(string.IsNullOrWhiteSpace(update.RawStatus), "A report keeps the provider's raw status word.");
    }

    /// <summary>A delivery the server reports ends Delivered.</summary>
    [ProviderFact]
    public async Task A_delivery_the_server_reports_is_reported_delivered()
    {
        using var logs = new CapturedLogs();
        var (provider, id) = await SendAsync(DeliverableAddress, logs);

        var update = await WaitForAsync(id, u => u.Status == DeliveryStatus.Delivered, logs);

        Assert.Equal(provider.Name, update.ProviderName);
    }

    /// <summary>A delay is not final: it never becomes a failure or any status past Sent but Delivered.</summary>
    [ProviderFact]
    public async Task A_delay_report_is_not_a_final_status()
    {
        using var logs = new CapturedLogs();
        var (_, id) = await SendAsync(DeliverableAddress, logs);

        await PlantReportAsync(id, EmailReportKind.Delayed);
        var updates = await ReadAllAsync(logs);

        Assert.DoesNotContain(updates, u => u.ProviderMessageId == id && u.Status is not (DeliveryStatus.Delivered or DeliveryStatus.Sent));
    }

    /// <summary>A report for an id no email has never names an email that was sent; the real email's report still comes.</summary>
    [ProviderFact]
    public async Task A_report_for_an_email_never_sent_names_no_email_that_was()
    {
        using var logs = new CapturedLogs();
        var (_, id) = await SendAsync(DeliverableAddress, logs);
        var forged = ForgeProviderMessageId(id);
        Assert.NotEqual(id, forged);

        await PlantReportAsync(forged, EmailReportKind.Failed);
        var updates = await ReadAllAsync(logs);

        Assert.DoesNotContain(updates, u => u.ProviderMessageId == id && u.Status is DeliveryStatus.Failed or DeliveryStatus.Undelivered);
    }

    /// <summary>A report read once is not returned again: applying it twice is left to nobody.</summary>
    [ProviderFact]
    public async Task A_report_is_read_once()
    {
        using var logs = new CapturedLogs();
        var (_, id) = await SendAsync(UndeliverableAddress, logs);
        await WaitForAsync(id, u => u.Status is DeliveryStatus.Undelivered or DeliveryStatus.Failed, logs);

        var again = await ReadReportsAsync(logs, CancellationToken.None);

        Assert.DoesNotContain(again, u => u.ProviderMessageId == id);
    }

    /// <summary>No update and no log line of the send or the reporting path carries the address, the subject or the body.</summary>
    [ProviderFact]
    public async Task No_patient_data_in_the_updates_or_the_logs()
    {
        using var logs = new CapturedLogs();
        var (_, id) = await SendAsync(UndeliverableAddress, logs);
        var update = await WaitForAsync(id, u => u.Status is DeliveryStatus.Undelivered or DeliveryStatus.Failed, logs);

        var data = new PatientData().Email("the recipient's address", UndeliverableAddress).Text("the subject", Subject).Text("the text body", Body);
        data.AssertAbsentFromLogs(logs);
        data.AssertAbsentFrom("The status update's raw status", update.RawStatus);
        data.AssertAbsentFrom("The status update's error code", update.ErrorCode);
    }

    private async Task<(IEmailProvider Provider, string Id)> SendAsync(EmailAddress to, CapturedLogs logs)
    {
        var provider = await CreateProviderAsync(logs);
        var result = await provider.SendAsync(new EmailSendRequest(to, Subject, Body, $"conformance-{Guid.NewGuid():N}"));
        Assert.True(result.Succeeded, $"The test server must accept the email to {(to == UndeliverableAddress ? "the undeliverable" : "the deliverable")} address: {result.ErrorCode}.");
        return (provider, result.ProviderMessageId!);
    }

    private async Task<DeliveryStatusUpdate> WaitForAsync(string id, Func<DeliveryStatusUpdate, bool> wanted, CapturedLogs logs)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew(); // real time: the server's reports take real time
        var seen = new List<DeliveryStatusUpdate>();
        while (clock.Elapsed < ReportTimeout)
        {
            seen.AddRange(await ReadReportsAsync(logs, CancellationToken.None));
            if (seen.FirstOrDefault(u => u.ProviderMessageId == id && wanted(u)) is { } update)
            {
                return update;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"No report for '{id}' came back within {ReportTimeout}; updates seen: {string.Join(", ", seen.Select(u => $"{u.ProviderMessageId} {u.Status}"))}.");
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Reads for a few seconds (at most <see cref="ReportTimeout"/>), so a planted report has been read, and returns all updates.</summary>
    private async Task<IReadOnlyList<DeliveryStatusUpdate>> ReadAllAsync(CapturedLogs logs)
    {
        var all = new List<DeliveryStatusUpdate>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var window = TimeSpan.FromSeconds(Math.Min(5, ReportTimeout.TotalSeconds));
        while (clock.Elapsed < window)
        {
            all.AddRange(await ReadReportsAsync(logs, CancellationToken.None));
            await Task.Delay(250);
        }

        return all;
    }
}
