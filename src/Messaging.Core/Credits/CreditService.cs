using Messaging.Storage;
using NodaTime;
using static Messaging.Audit.Audit;

namespace Messaging.Credits;

/// <summary>R15: purchases add to an append-only ledger whose sum is the balance.</summary>
internal sealed class CreditService(IMessagingStore store, IClock clock) : ICreditService
{
    private const int MaxPurchase = 10_000_000;

    public async Task<int> PurchaseAsync(OrganisationId organisationId, int credits, string reference, CancellationToken cancellationToken = default)
    {
        if (credits is < 1 or > MaxPurchase)
        {
            throw new MessagingValidationException(MessagingErrorCodes.OutOfRange, $"A purchase must add between 1 and {MaxPurchase} credits.", "credits");
        }

        var checkedReference = Errors.RequireText(reference, "reference", 200);
        _ = await store.GetOrganisationAsync(organisationId, cancellationToken).ConfigureAwait(false) ?? throw Errors.OrganisationNotFound(organisationId);
        await store.WriteAsync(
            work =>
            {
                work.AppendCreditEntry(new CreditLedgerEntry(Guid.NewGuid(), organisationId, CreditEntryKind.Purchase, credits, null, clock.GetCurrentInstant(), checkedReference));
                work.AppendAudit(Event(clock, organisationId, null, AuditActor.System, AuditAction.CreditsPurchased, targetId: checkedReference,
                    details: new Dictionary<string, string> { ["credits"] = credits.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
            },
            cancellationToken).ConfigureAwait(false);
        return await store.GetCreditBalanceAsync(organisationId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> GetBalanceAsync(OrganisationId organisationId, CancellationToken cancellationToken = default)
        => await store.GetCreditBalanceAsync(organisationId, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<CreditLedgerEntry>> GetLedgerAsync(OrganisationId organisationId, CancellationToken cancellationToken = default)
        => await store.ListCreditLedgerAsync(organisationId, cancellationToken).ConfigureAwait(false);
}
