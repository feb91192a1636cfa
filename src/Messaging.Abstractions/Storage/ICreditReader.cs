namespace Messaging.Storage;

/// <summary>Reads of the SMS credit ledger (R15).</summary>
public interface ICreditReader
{
    /// <summary>The organisation's balance: the sum of its ledger.</summary>
    ValueTask<int> GetCreditBalanceAsync(OrganisationId organisationId, CancellationToken cancellationToken = default);

    /// <summary>The organisation's ledger, oldest first.</summary>
    ValueTask<IReadOnlyList<CreditLedgerEntry>> ListCreditLedgerAsync(OrganisationId organisationId, CancellationToken cancellationToken = default);
}
