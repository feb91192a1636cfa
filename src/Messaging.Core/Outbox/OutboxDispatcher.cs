using Messaging.Events;
using Messaging.Sending;
using Messaging.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using static Messaging.Audit.Audit;

namespace Messaging.Outbox;

/// <summary>
/// Drains the outbox (R20): claims due entries under a lease, hands each message to its providers in order
/// (a later provider is tried when an earlier one fails transiently), and records the outcome in one unit of work:
/// sent; or rescheduled with exponential backoff and jitter; or failed with the provider's code and refunded.
/// No unit of work is open while a provider is called.
/// </summary>
internal sealed class OutboxDispatcher(
    IMessagingStore store,
    IEnumerable<ISmsProvider> smsProviders,
    IEnumerable<IEmailProvider> emailProviders,
    OptOutService optOuts,
    Replies.ReplyTokens replyTokens,
    Attachments.AttachmentLinks attachmentLinks,
    DirectMessages.DirectMessageLegs directMessageLegs,
    IClock clock,
    MessagingEventPublisher events,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher> logger) : IOutboxDispatcher
{
    private readonly ISmsProvider[] _sms = [.. smsProviders];
    private readonly IEmailProvider[] _email = [.. emailProviders];
    private readonly OutboxOptions _options = options.Value;

    /// <summary>This instance's name on its claims.</summary>
    internal string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken = default)
    {
        var claimed = await store.ClaimOutboxAsync(Owner, clock.GetCurrentInstant(), Duration.FromTimeSpan(_options.Lease), _options.BatchSize, cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(
            claimed,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrency, CancellationToken = cancellationToken },
            async (entry, ct) => await ProcessAsync(entry, ct).ConfigureAwait(false)).ConfigureAwait(false);
        return claimed.Count;
    }

    private async Task ProcessAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            var message = await store.GetMessageAsync(entry.MessageId, cancellationToken).ConfigureAwait(false);
            if (message is null || DeliveryStatusService.Rank(message.Status) >= DeliveryStatusService.Rank(DeliveryStatus.Sent))
            {
                await store.WriteAsync(work => work.CompleteOutboxEntry(entry.MessageId, Owner), cancellationToken).ConfigureAwait(false);
                return;
            }

            string text;
            string? html;
            if (message.DirectMessageId is not null)
            {
                // A Direct Message's email or SMS: its half of the secret is minted now, only its hash stored (R18).
                if (await directMessageLegs.PrepareAsync(message, cancellationToken).ConfigureAwait(false) is not { } leg)
                {
                    await RecordAsync(entry, message, "none", ProviderSendResult.Permanent("superseded", "A staff resend replaced this message."), cancellationToken).ConfigureAwait(false);
                    return;
                }

                (message, text, html) = leg;
            }
            else
            {
                // Before the provider call, in its own unit of work: Queued -> Sending, and for a reply-enabled message its
                // reply token, stored as a hash only (R12), likewise a download link per attachment (R11). Both are derived
                // from the message, so a retry sends the same links and re-issuing them stores nothing new (R29). The reply
                // token is pending: it supersedes the conversation's working link only once the provider took the message.
                var reply = message.AllowReply ? replyTokens.Issue(message) : default;
                var downloads = message.Attachments.Select(id => attachmentLinks.Issue(message, id)).ToArray();
                if (message.Status == DeliveryStatus.Queued || message.AllowReply || downloads.Length > 0)
                {
                    var sending = message with { Status = DeliveryStatus.Sending, UpdatedAt = clock.GetCurrentInstant(), Version = message.Version + 1 };
                    var current = message;
                    await store.WriteAsync(
                        work =>
                        {
                            work.UpdateMessage(sending, current.Version);
                            if (reply.Record is { } token)
                            {
                                work.IssueReplyToken(token);
                            }

                            foreach (var download in downloads)
                            {
                                work.AddAttachmentLink(download.Record);
                            }
                        },
                        cancellationToken).ConfigureAwait(false);
                    message = sending;
                }

                Uri[] links = [.. downloads.Select(d => d.Link)];
                text = PatientText.Compose(message.Body, links, reply.Link);
                html = PatientText.ComposeHtml(message.HtmlBody, links, reply.Link);
            }

            var (provider, result) = await SendAsync(message, text, html, cancellationToken).ConfigureAwait(false);
            await RecordAsync(entry, message, provider, result, cancellationToken).ConfigureAwait(false);
        }
        catch (MessagingConflictException e) when (e.ErrorCode is MessagingErrorCodes.LeaseLost or MessagingErrorCodes.ConcurrencyConflict)
        {
            Log.LeaseLost(logger, entry.MessageId);
        }
        catch (MessagingConflictException e) when (e.ErrorCode == MessagingErrorCodes.DirectMessageBusy)
        {
            Log.DirectMessageLegBusy(logger, entry.MessageId);
        }
    }

    private async Task<(string Provider, ProviderSendResult Result)> SendAsync(Message message, string text, string? html, CancellationToken cancellationToken)
    {
        var key = message.Id.ToString();
        var none = ProviderSendResult.Permanent("no_provider", $"No {message.Channel} provider is registered.");
        void Threw(string name, Exception e) => Log.ProviderThrew(logger, e, name, message.Id);
        return message.Channel == MessageChannel.Sms
            ? await ProviderFallback.SendAsync(
                _sms, p => p.Name, p => p.SendAsync(new SmsSendRequest(PhoneNumber.FromE164(message.Recipient), text, key), cancellationToken), Threw, none, cancellationToken).ConfigureAwait(false)
            : await ProviderFallback.SendAsync(
                _email,
                p => p.Name,
                p => p.SendAsync(new EmailSendRequest(EmailAddress.Parse(message.Recipient), message.Subject ?? string.Empty, text, key) { HtmlBody = html }, cancellationToken),
                Threw,
                none,
                cancellationToken).ConfigureAwait(false);
    }

    private async Task RecordAsync(OutboxEntry entry, Message message, string provider, ProviderSendResult result, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var attempt = entry.Attempts + 1;

        if (result.Succeeded)
        {
            var sent = message with
            {
                Status = DeliveryStatus.Sent,
                ProviderName = provider,
                ProviderMessageId = result.ProviderMessageId,
                ProviderStatus = result.RawStatus,
                ErrorCode = null,
                UpdatedAt = now,
                Version = message.Version + 1,
            };
            await store.WriteAsync(
                work =>
                {
                    work.UpdateMessage(sent, message.Version);
                    if (message.AllowReply && message.DirectMessageId is null)
                    {
                        // It reached the provider: now its link supersedes the older ones (R29).
                        work.ActivateReplyToken(replyTokens.HashFor(message));
                    }

                    work.CompleteOutboxEntry(entry.MessageId, Owner);
                },
                cancellationToken).ConfigureAwait(false);
            Log.MessageAccepted(logger, message.Id, provider, result.ProviderMessageId);
            await events.PublishAsync(MessageEvents.StatusChanged(sent)!, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (result.Failure == ProviderFailureKind.Transient && attempt < _options.MaxAttempts)
        {
            var next = now + Duration.FromTimeSpan(RetryDelay(attempt, result.RetryAfter));
            var noted = message with { ErrorCode = result.ErrorCode, UpdatedAt = now, Version = message.Version + 1 };
            await store.WriteAsync(
                work =>
                {
                    work.UpdateMessage(noted, message.Version);
                    work.RescheduleOutboxEntry(entry.MessageId, Owner, attempt, next);
                },
                cancellationToken).ConfigureAwait(false);
            Log.MessageRetrying(logger, message.Id, attempt, provider, result.ErrorCode, next);
            return;
        }

        // Refused for good, or out of attempts: the provider never took the message, so its credits come back (R15).
        var failed = message with { Status = DeliveryStatus.Failed, ProviderName = provider, ErrorCode = result.ErrorCode, UpdatedAt = now, Version = message.Version + 1 };
        await store.WriteAsync(
            work =>
            {
                work.UpdateMessage(failed, message.Version);
                work.CompleteOutboxEntry(entry.MessageId, Owner);
                if (message.Credits > 0)
                {
                    work.AppendCreditEntry(new CreditLedgerEntry(Guid.NewGuid(), message.OrganisationId, CreditEntryKind.Refund, message.Credits, message.Id, now));
                }

                work.AppendAudit(Event(clock, message.OrganisationId, message.WorkspaceId, AuditActor.System, AuditAction.MessageFailed, message.PatientId, message.Id.ToString(),
                    new Dictionary<string, string> { ["provider"] = provider, ["errorCode"] = result.ErrorCode ?? "" }));
            },
            cancellationToken).ConfigureAwait(false);
        Log.MessageFailed(logger, message.Id, provider, result.ErrorCode, message.Credits);
        await events.PublishAsync(MessageEvents.StatusChanged(failed)!, cancellationToken).ConfigureAwait(false);

        if (result.RecipientOptedOut && message.Channel == MessageChannel.Sms)
        {
            await optOuts.SetAsync(message.OrganisationId, PhoneNumber.FromE164(message.Recipient), optedOut: true, $"provider:{result.ErrorCode}", message, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Exponential backoff with "equal jitter": half the doubled delay fixed, half random; never less than the provider's Retry-After.</summary>
    internal TimeSpan RetryDelay(int attempt, TimeSpan? retryAfter)
    {
        var exponential = Math.Min(_options.MaxRetryDelay.TotalMilliseconds, _options.BaseRetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        var jittered = TimeSpan.FromMilliseconds((exponential / 2) + (Random.Shared.NextDouble() * exponential / 2));
        return retryAfter is { } after && after > jittered ? after : jittered;
    }
}
