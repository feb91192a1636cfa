using Messaging.Notifications;
using Messaging.Storage;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace Messaging.DirectMessages;

/// <summary>The text to hand to the provider for one of a Direct Message's two messages, and the message as now stored.</summary>
internal readonly record struct PreparedLeg(Message Message, string Text, string? Html);

/// <summary>
/// The outbox's part in a Direct Message (R18): just before its email or SMS goes to the provider, mint that message's
/// half of the secret (the link for the email, the access code for the SMS), store only its hash on the Direct Message
/// in the same unit of work that marks the message Sending, and append the secret to the text sent. The secret is derived
/// from the Direct Message and the leg's message id, so a retry after an uncertain result sends the same link or code the
/// patient may already hold (R29); a staff resend is a new leg with a new message id, so it sends a new one.
/// </summary>
internal sealed class DirectMessageLegs(IMessagingStore store, DirectMessageSecrets secrets, SystemEmails emails, Sending.PatientLinkWording wording, IClock clock, ILogger<DirectMessageLegs> logger)
{
    private const int MaxRaces = 10;

    /// <summary>
    /// The link email (the workspace language's <see cref="PatientLinkTexts.DirectMessageEmail"/>, else
    /// <see cref="SystemEmailOptions.DirectMessageLink"/>; host-overridable, no patient data) for a link.
    /// </summary>
    public EmailSendRequest LinkEmail(EmailAddress to, MessageId messageId, WorkspaceId workspaceId, string? organisationName, string? workspaceName, Uri link)
        => emails.Compose(wording.DirectMessageEmail(workspaceId) ?? emails.Options.DirectMessageLink, to, messageId.ToString(), organisationName, workspaceName, recipientName: null, link);

    /// <summary>
    /// Mints and records the secret and marks the message Sending; <see langword="null"/> when the message is no longer
    /// its Direct Message's current email or SMS (a staff resend replaced it), so it must not be sent.
    /// </summary>
    public async Task<PreparedLeg?> PrepareAsync(Message message, CancellationToken cancellationToken)
    {
        var id = message.DirectMessageId ?? throw new ArgumentException("Not a Direct-Message email or SMS.", nameof(message));
        var isEmail = message.Channel == MessageChannel.Email;

        // The costly part (Argon2id for a code) runs once, outside any unit of work.
        Uri? link = null;
        string? linkHash = null, code = null, codeHash = null;
        Instant expiresAt;
        if (isEmail)
        {
            (linkHash, link, expiresAt) = secrets.LinkFor(id, message.Id);
        }
        else
        {
            (code, codeHash, expiresAt) = await secrets.CodeForAsync(id, message.Id, cancellationToken).ConfigureAwait(false);
        }

        for (var race = 1; ; race++)
        {
            var dm = await store.GetDirectMessageAsync(id, cancellationToken).ConfigureAwait(false);
            if (dm is null || (isEmail ? dm.EmailMessageId : dm.SmsMessageId) != message.Id)
            {
                Log.DirectMessageLegSuperseded(logger, message.Id, id);
                return null;
            }

            var now = clock.GetCurrentInstant();
            var updated = isEmail
                ? dm with { LinkTokenHash = linkHash, LinkExpiresAt = expiresAt }
                : dm with { AccessCodeHash = codeHash, AccessCodeExpiresAt = expiresAt };
            updated = updated with { UpdatedAt = now, Version = dm.Version + 1 };
            var sending = message with { Status = DeliveryStatus.Sending, UpdatedAt = now, Version = message.Version + 1 };
            try
            {
                await store.WriteAsync(
                    work =>
                    {
                        work.UpdateMessage(sending, message.Version);
                        work.UpdateDirectMessage(updated, dm.Version);
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (MessagingConflictException e) when (e.ErrorCode == MessagingErrorCodes.ConcurrencyConflict && race < MaxRaces)
            {
                // If the Direct Message changed meanwhile (its other half went out, a wrong code was counted) nothing was
                // written: apply the new secret on top of its new state. If the message itself changed, another
                // dispatcher has it; let the caller treat it as a lost lease.
                if ((await store.GetMessageAsync(message.Id, cancellationToken).ConfigureAwait(false))?.Version != message.Version)
                {
                    throw;
                }

                continue;
            }

            if (!isEmail)
            {
                return new PreparedLeg(sending, DirectMessageTexts.SmsWithCode(message.Body, code!), null);
            }

            var organisation = await store.GetOrganisationAsync(dm.OrganisationId, cancellationToken).ConfigureAwait(false);
            var workspace = await store.GetWorkspaceAsync(dm.WorkspaceId, cancellationToken).ConfigureAwait(false);
            var email = LinkEmail(EmailAddress.Parse(message.Recipient), message.Id, dm.WorkspaceId, organisation?.Name, workspace?.Name, link!);
            return new PreparedLeg(sending, email.TextBody, email.HtmlBody);
        }
    }
}
