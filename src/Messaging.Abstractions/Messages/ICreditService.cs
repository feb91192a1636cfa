namespace Messaging;

/// <summary>SMS credits (R15): an append-only ledger per organisation.</summary>
public interface ICreditService
{
    /// <summary>Adds purchased credits (called by the host once payment is taken).</summary>
    Task<int> PurchaseAsync(OrganisationId organisationId, int credits, string reference, CancellationToken cancellationToken = default);

    /// <summary>The balance.</summary>
    Task<int> GetBalanceAsync(OrganisationId organisationId, CancellationToken cancellationToken = default);

    /// <summary>The ledger, oldest first: the balance can be audited from it.</summary>
    Task<IReadOnlyList<CreditLedgerEntry>> GetLedgerAsync(OrganisationId organisationId, CancellationToken cancellationToken = default);
}
