using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.Providers.Smtp;

/// <summary>
/// Reads delivery reports from the bounce mailbox over IMAP (R28) and applies them to the SDK's emails through
/// <see cref="IDeliveryStatusService"/> (forward-only, R13): <c>failed</c> → Undelivered with the enhanced status code
/// kept raw, <c>delivered</c>/<c>relayed</c> → Delivered, <c>delayed</c> → nothing. Each report it read is flagged
/// <c>\Seen</c> so it is read once; one it cannot match also gets the keyword <see cref="UnmatchedKeyword"/> and stays
/// in the folder for a person to look at. A failed round (the server away) is logged and retried at the next poll;
/// nothing is flagged before it was applied, so no report is lost or applied twice. Logs ids and counts only.
/// </summary>
internal sealed class SmtpBounceReader(
    IOptions<SmtpBounceReaderOptions> options,
    IOptions<SmtpEmailOptions> smtp,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<SmtpBounceReader> logger) : BackgroundService
{
    /// <summary>The keyword a report the reader could not match is flagged with.</summary>
    public const string UnmatchedKeyword = "$MessagingUnmatched";

    private long _applied;
    private long _unmatched;

    /// <summary>Reports applied to a message (a status change or a repeat) since start.</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>Reports no email of the SDK's matched since start.</summary>
    public long Unmatched => Interlocked.Read(ref _unmatched);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ReadOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.BounceRoundFailed(logger, e.GetType().Name);
            }

            try
            {
                await Task.Delay(options.Value.PollInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round: every unseen report in the folder, applied and flagged. Returns how many were read.</summary>
    internal async Task<int> ReadOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var senderDomain = SmtpMessages.SenderDomain(smtp.Value.FromAddress); // validated at start-up
        using var client = new ImapClient();
        client.Timeout = 30_000;
        if (settings.AllowInvalidCertificates)
        {
            client.ServerCertificateValidationCallback = static (_, _, _, _) => true;
        }

        var socket = settings.TlsMode switch
        {
            SmtpTlsMode.None => SecureSocketOptions.None,
            SmtpTlsMode.StartTls => SecureSocketOptions.StartTls,
            _ => SecureSocketOptions.SslOnConnect,
        };
        await client.ConnectAsync(settings.Host!, settings.EffectivePort, socket, cancellationToken).ConfigureAwait(false);
        await client.AuthenticateAsync(settings.UserName!, settings.Password!, cancellationToken).ConfigureAwait(false);
        var folder = await client.GetFolderAsync(settings.Folder, cancellationToken).ConfigureAwait(false);
        await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken).ConfigureAwait(false);
        var unseen = await folder.SearchAsync(SearchQuery.NotSeen, cancellationToken).ConfigureAwait(false);
        var scope = scopes.CreateAsyncScope();
        await using var _ = scope.ConfigureAwait(false);
        var statuses = scope.ServiceProvider.GetRequiredService<IDeliveryStatusService>();
        var applied = 0;
        var unmatched = 0;
        foreach (var uid in unseen)
        {
            using var report = await folder.GetMessageAsync(uid, cancellationToken).ConfigureAwait(false);
            var parsed = DeliveryReports.Parse(report, senderDomain);
            var matched = parsed is not null;
            if (parsed is { Status: { } status })
            {
                var outcome = await statuses.ApplyAsync(
                    new DeliveryStatusUpdate(SmtpEmailProvider.ProviderName, parsed.ProviderMessageId, status, parsed.RawStatus, parsed.EnhancedStatus), cancellationToken).ConfigureAwait(false);
                matched = outcome != DeliveryUpdateOutcome.UnknownMessage;
            }

            if (matched)
            {
                applied++;
                await folder.StoreAsync(uid, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Seen) { Silent = true }, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                unmatched++;
                await folder.StoreAsync(uid, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Seen) { Silent = true, Keywords = { UnmatchedKeyword } }, cancellationToken).ConfigureAwait(false);
            }
        }

        await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _applied, applied);
        Interlocked.Add(ref _unmatched, unmatched);
        if (unseen.Count > 0)
        {
            Log.BounceRound(logger, unseen.Count, applied, unmatched);
        }

        return unseen.Count;
    }
}
