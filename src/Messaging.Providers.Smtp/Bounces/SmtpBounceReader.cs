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
/// in the folder for a person to look at. Nothing is flagged before it was applied, so no report is lost or applied
/// twice. Logs ids and counts only.
/// </summary>
/// <remarks>
/// As a hosted service it keeps one IMAP session open and waits with IDLE (RFC 2177) when the server offers it and
/// <see cref="SmtpBounceReaderOptions.UseIdle"/> is on, so a report is applied as soon as it arrives; the IDLE is renewed
/// every <see cref="SmtpBounceReaderOptions.PollInterval"/> with a full read, which also catches anything a notification
/// missed. Otherwise it reads every poll interval. When the server goes away the session is dropped and reopened with a
/// back-off from 1 second up to the poll interval; unread reports wait in the mailbox meanwhile.
/// </remarks>
internal sealed class SmtpBounceReader(
    IOptions<SmtpBounceReaderOptions> options,
    IOptions<SmtpEmailOptions> smtp,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<SmtpBounceReader> logger) : BackgroundService
{
    /// <summary>The keyword a report the reader could not match is flagged with.</summary>
    public const string UnmatchedKeyword = "$MessagingUnmatched";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);

    private long _applied;
    private long _unmatched;
    private long _sessions;

    /// <summary>Reports applied to a message (a status change or a repeat) since start.</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>Reports no email of the SDK's matched since start.</summary>
    public long Unmatched => Interlocked.Read(ref _unmatched);

    /// <summary>IMAP sessions the hosted loop opened since start (one unless the server went away).</summary>
    public long Sessions => Interlocked.Read(ref _sessions);

    /// <summary>Whether the last session waited with IDLE rather than by polling.</summary>
    public bool Idling { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var client = await ConnectAsync(stoppingToken).ConfigureAwait(false);
                Interlocked.Increment(ref _sessions);
                var folder = await OpenFolderAsync(client, stoppingToken).ConfigureAwait(false);
                var idle = options.Value.UseIdle && client.Capabilities.HasFlag(ImapCapabilities.Idle);
                Idling = idle;
                while (!stoppingToken.IsCancellationRequested)
                {
                    await ReadFolderAsync(folder, stoppingToken).ConfigureAwait(false);
                    retry = FirstRetry; // the session works: a later failure starts the back-off again
                    if (idle)
                    {
                        await IdleAsync(client, folder, stoppingToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await Task.Delay(options.Value.PollInterval, time, stoppingToken).ConfigureAwait(false);
                    }
                }

                await client.DisconnectAsync(quit: true, CancellationToken.None).ConfigureAwait(false);
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
                await Task.Delay(retry, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, options.Value.PollInterval.Ticks));
        }
    }

    /// <summary>Waits in IDLE until the folder gains a message or the poll interval ends; throws if the server goes away.</summary>
    private async Task IdleAsync(ImapClient client, IMailFolder folder, CancellationToken stoppingToken)
    {
        using var done = new CancellationTokenSource(options.Value.PollInterval, time);
        void Arrived(object? sender, EventArgs e) => done.Cancel();
        folder.CountChanged += Arrived;
        try
        {
            await client.IdleAsync(done.Token, stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            folder.CountChanged -= Arrived;
        }
    }

    /// <summary>One round on a fresh session: every unseen report in the folder, applied and flagged. Returns how many were read.</summary>
    internal async Task<int> ReadOnceAsync(CancellationToken cancellationToken)
    {
        using var client = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        var folder = await OpenFolderAsync(client, cancellationToken).ConfigureAwait(false);
        var read = await ReadFolderAsync(folder, cancellationToken).ConfigureAwait(false);
        await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        return read;
    }

    private async Task<ImapClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var client = new ImapClient { Timeout = 30_000 };
        try
        {
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
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private async Task<IMailFolder> OpenFolderAsync(ImapClient client, CancellationToken cancellationToken)
    {
        var folder = await client.GetFolderAsync(options.Value.Folder, cancellationToken).ConfigureAwait(false);
        await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken).ConfigureAwait(false);
        return folder;
    }

    /// <summary>Every unseen report in the open folder, applied and flagged. Returns how many were read.</summary>
    private async Task<int> ReadFolderAsync(IMailFolder folder, CancellationToken cancellationToken)
    {
        var senderDomain = SmtpMessages.SenderDomain(smtp.Value.FromAddress); // validated at start-up
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
                Interlocked.Increment(ref _applied);
                await folder.StoreAsync(uid, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Seen) { Silent = true }, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                unmatched++;
                Interlocked.Increment(ref _unmatched);
                await folder.StoreAsync(uid, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Seen) { Silent = true, Keywords = { UnmatchedKeyword } }, cancellationToken).ConfigureAwait(false);
            }
        }

        if (unseen.Count > 0)
        {
            Log.BounceRound(logger, unseen.Count, applied, unmatched);
        }

        return unseen.Count;
    }
}
