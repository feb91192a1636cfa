using Messaging.Events;
using Messaging.Storage;
using Microsoft.Extensions.Options;

namespace Messaging.Credits;

/// <summary>
/// Raises <see cref="CreditBalanceLow"/> when a committed charge took the balance from the threshold or above to below
/// it. The store records the balance after every entry in the ledger's order, so each crossing belongs to exactly one
/// charge, also when sends race: the event is raised once per crossing, never for a send that was already below.
/// </summary>
internal sealed class CreditAlerts(IMessagingStore store, MessagingEventPublisher events, IOptions<PatientMessagingOptions> options)
{
    /// <summary>The charge of a message; its entry id is the message's id, so the alert finds it after the commit.</summary>
    public static CreditLedgerEntry Charge(Message message, NodaTime.Instant now)
        => new(message.Id.Value, message.OrganisationId, CreditEntryKind.Charge, -message.Credits, message.Id, now);

    /// <summary>After <paramref name="message"/>'s charge committed: raises the event if that charge crossed the threshold.</summary>
    public async Task AfterChargeAsync(Message message, CancellationToken cancellationToken)
    {
        if (options.Value.LowCreditThreshold is not { } threshold || message.Credits <= 0)
        {
            return;
        }

        var line = await store.GetCreditEntryAsync(message.OrganisationId, message.Id.Value, cancellationToken).ConfigureAwait(false);
        if (line is { Entry.Kind: CreditEntryKind.Charge } && line.BalanceAfter < threshold && line.BalanceAfter - line.Entry.Amount >= threshold)
        {
            await events.PublishAsync(new CreditBalanceLow(message.OrganisationId, line.BalanceAfter, threshold, line.Entry.At), cancellationToken).ConfigureAwait(false);
        }
    }
}
