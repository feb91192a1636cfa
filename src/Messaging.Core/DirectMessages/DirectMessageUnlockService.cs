using System.Globalization;
using Messaging.Storage;
using Microsoft.Extensions.Logging;
using NodaTime;
using static Messaging.Audit.Audit;

namespace Messaging.DirectMessages;

/// <summary>
/// The patient side of Direct Messages (R18): checking a link, and unlocking with link + code under a
/// five-wrong-codes lock, with every attempt, lock and refusal audited and each unlock issuing its own download links.
/// </summary>
/// <remarks>
/// Concurrency: every change to a Direct Message is an update against the version read, so two concurrent wrong codes
/// cannot both be counted on top of the same count; the loser reads again and retries, reusing its Argon2id result when
/// the code hash it checked is still the current one. Logs under <see cref="DirectMessageService"/>'s category, as
/// before the service was split.
/// </remarks>
internal sealed class DirectMessageUnlockService(
    IMessagingStore store,
    DirectMessageSecrets secrets,
    Attachments.AttachmentLinks attachmentLinks,
    Events.MessagingEventPublisher events,
    IClock clock,
    ILogger<DirectMessageService> logger)
{
    private const int MaxUnlockRaces = 20;

    public async Task<DirectMessageLinkStatus> CheckLinkAsync(string linkToken, CancellationToken cancellationToken = default)
    {
        _ = secrets.Hasher;
        if (!DirectMessageSecrets.HasLinkTokenShape(linkToken)
            || await store.FindDirectMessageByLinkTokenHashAsync(DirectMessageSecrets.HashLinkToken(linkToken), cancellationToken).ConfigureAwait(false) is not { } dm)
        {
            return DirectMessageLinkStatus.Unknown;
        }

        return DirectMessageStates.Refusal(dm, clock.GetCurrentInstant()) switch
        {
            DirectMessageUnlockStatus.Locked => DirectMessageLinkStatus.Locked,
            DirectMessageUnlockStatus.Expired => DirectMessageLinkStatus.Expired,
            _ => DirectMessageLinkStatus.Ready,
        };
    }

    public async Task<DirectMessageUnlockResult> UnlockAsync(string linkToken, string accessCode, CancellationToken cancellationToken = default)
    {
        var hasher = secrets.Hasher;
        if (!DirectMessageSecrets.HasLinkTokenShape(linkToken))
        {
            return new DirectMessageUnlockResult(DirectMessageUnlockStatus.Unknown);
        }

        var linkHash = DirectMessageSecrets.HashLinkToken(linkToken);
        HashedAccessCode? checkedAgainst = null;
        var codeMatches = false;
        for (var race = 1; ; race++)
        {
            var dm = await store.FindDirectMessageByLinkTokenHashAsync(linkHash, cancellationToken).ConfigureAwait(false);
            if (dm is null)
            {
                return new DirectMessageUnlockResult(DirectMessageUnlockStatus.Unknown);
            }

            var now = clock.GetCurrentInstant();
            if (DirectMessageStates.Refusal(dm, now) is { } refused)
            {
                await AuditRefusalAsync(dm, refused, cancellationToken).ConfigureAwait(false);
                return new DirectMessageUnlockResult(refused);
            }

            if (dm.AccessCodeHash is null)
            {
                // A resend killed the old code and the new SMS has not gone out: nothing to guess, so nothing is counted.
                await AuditRefusalAsync(dm, DirectMessageUnlockStatus.WrongCode, cancellationToken).ConfigureAwait(false);
                return new DirectMessageUnlockResult(DirectMessageUnlockStatus.WrongCode, AttemptsLeft: DirectMessageSecrets.MaxFailedAttempts - dm.FailedAttempts);
            }

            // The memory-hard check runs under the hasher's concurrency bound, and again only if the code changed.
            var stored = HashedAccessCode.Parse(dm.AccessCodeHash);
            if (!stored.Equals(checkedAgainst))
            {
                codeMatches = await hasher.VerifyAsync(accessCode ?? string.Empty, stored, cancellationToken).ConfigureAwait(false);
                checkedAgainst = stored;
            }

            try
            {
                return codeMatches
                    ? await RecordUnlockAsync(dm, now, cancellationToken).ConfigureAwait(false)
                    : await RecordWrongCodeAsync(dm, now, cancellationToken).ConfigureAwait(false);
            }
            catch (MessagingConflictException e) when (e.ErrorCode == MessagingErrorCodes.ConcurrencyConflict && race < MaxUnlockRaces)
            {
                // Another attempt (or a resend) changed the Direct Message since we read it: nothing was written; read
                // again so that this attempt counts on top of that one.
            }
        }
    }

    private async Task<DirectMessageUnlockResult> RecordUnlockAsync(DirectMessage dm, Instant now, CancellationToken cancellationToken)
    {
        // Only the first unlock changes the record; later ones are audited only, so many concurrent right answers do not
        // fight over the version. Wrong codes are not forgiven: they count over the code's whole life (until a resend
        // issues a new code), or whoever holds the link would get a fresh set of guesses after each legitimate unlock.
        var changes = dm.FirstUnlockedAt is null;

        // Each unlock gets its own download links (hash-only, expiring, R11), written with the unlock's audit event.
        var downloads = new List<(DirectMessageDownload Download, AttachmentLink Record)>(dm.Attachments.Count);
        foreach (var attachmentId in dm.Attachments)
        {
            if (await store.GetAttachmentAsync(attachmentId, cancellationToken).ConfigureAwait(false) is { } attachment)
            {
                var (record, link) = attachmentLinks.Issue(dm.EmailMessageId, dm.OrganisationId, attachmentId);
                downloads.Add((new DirectMessageDownload(attachmentId, attachment.FileName, attachment.ContentType, attachment.Length, link), record));
            }
        }

        await store.WriteAsync(
            work =>
            {
                if (changes)
                {
                    work.UpdateDirectMessage(dm with { FirstUnlockedAt = now, UpdatedAt = now, Version = dm.Version + 1 }, dm.Version);
                }

                foreach (var (_, record) in downloads)
                {
                    work.AddAttachmentLink(record);
                }

                work.AppendAudit(Event(clock, dm.OrganisationId, dm.WorkspaceId, AuditActor.Patient(dm.PatientId), AuditAction.DirectMessageUnlocked, dm.PatientId, dm.Id.ToString(),
                    new Dictionary<string, string> { ["attachments"] = downloads.Count.ToString(CultureInfo.InvariantCulture) }));
            },
            cancellationToken).ConfigureAwait(false);
        Log.DirectMessageUnlocked(logger, dm.Id);

        // The event names the link email, the message the patient opened (its DirectMessageId leads to this record).
        await events.PublishAsync(new DirectMessageUnlocked(dm.OrganisationId, dm.WorkspaceId, dm.ConversationId, dm.EmailMessageId, dm.PatientId, MessageChannel.DirectMessage, now), cancellationToken).ConfigureAwait(false);
        var sender = await store.GetMemberAsync(dm.WorkspaceId, dm.SentBy, cancellationToken).ConfigureAwait(false);
        return new DirectMessageUnlockResult(
            DirectMessageUnlockStatus.Unlocked,
            new DirectMessageContent(dm.Id, dm.Subject, dm.Body, [.. downloads.Select(d => d.Download)], sender?.DisplayName, dm.CreatedAt));
    }

    private async Task<DirectMessageUnlockResult> RecordWrongCodeAsync(DirectMessage dm, Instant now, CancellationToken cancellationToken)
    {
        var failed = dm.FailedAttempts + 1;
        var left = Math.Max(0, DirectMessageSecrets.MaxFailedAttempts - failed);
        var locks = left == 0;
        await store.WriteAsync(
            work =>
            {
                work.UpdateDirectMessage(dm with { FailedAttempts = failed, LockedAt = locks ? now : null, UpdatedAt = now, Version = dm.Version + 1 }, dm.Version);
                var patient = AuditActor.Patient(dm.PatientId);
                work.AppendAudit(Event(clock, dm.OrganisationId, dm.WorkspaceId, patient, AuditAction.DirectMessageUnlockFailed, dm.PatientId, dm.Id.ToString(),
                    new Dictionary<string, string> { ["failedAttempts"] = failed.ToString(CultureInfo.InvariantCulture), ["attemptsLeft"] = left.ToString(CultureInfo.InvariantCulture) }));
                if (locks)
                {
                    work.AppendAudit(Event(clock, dm.OrganisationId, dm.WorkspaceId, patient, AuditAction.DirectMessageLocked, dm.PatientId, dm.Id.ToString(),
                        new Dictionary<string, string> { ["failedAttempts"] = failed.ToString(CultureInfo.InvariantCulture) }));
                }
            },
            cancellationToken).ConfigureAwait(false);

        if (locks)
        {
            Log.DirectMessageLocked(logger, dm.Id, failed);
            return new DirectMessageUnlockResult(DirectMessageUnlockStatus.Locked);
        }

        Log.DirectMessageWrongCode(logger, dm.Id, left);
        return new DirectMessageUnlockResult(DirectMessageUnlockStatus.WrongCode, AttemptsLeft: left);
    }

    private Task AuditRefusalAsync(DirectMessage dm, DirectMessageUnlockStatus reason, CancellationToken cancellationToken)
        => store.WriteAsync(
            work => work.AppendAudit(Event(clock, dm.OrganisationId, dm.WorkspaceId, AuditActor.Patient(dm.PatientId), AuditAction.DirectMessageUnlockRefused, dm.PatientId, dm.Id.ToString(),
                new Dictionary<string, string>
                {
                    ["reason"] = reason switch
                    {
                        DirectMessageUnlockStatus.Locked => "locked",
                        DirectMessageUnlockStatus.Expired => "expired",
                        _ => "no_current_code",
                    },
                })),
            cancellationToken);
}
