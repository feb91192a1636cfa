namespace Messaging;

/// <summary>SMS credits (R15): an append-only ledger per organisation.</summary>
public interface ICreditService
{
    /// <summary>
    /// Adds purchased credits, called by the host once payment is taken. The actor must be an organisation admin (an
    /// admin of its default workspace); anyone else is refused and nothing is written. The payment reference makes the
    /// call idempotent: a second call with the same reference and amount adds nothing and returns the original
    /// purchase; the same reference with another amount is a conflict
    /// (<see cref="MessagingErrorCodes.IdempotencyKeyReused"/>). The purchase is audited (who, reference, amount).
    /// </summary>
    /// <returns>The purchase's ledger entry and the balance right after it.</returns>
    Task<CreditLedgerLine> PurchaseAsync(StaffId actor, OrganisationId organisationId, int credits, string reference, CancellationToken cancellationToken = default);

    /// <summary>The balance.</summary>
    Task<int> GetBalanceAsync(OrganisationId organisationId, CancellationToken cancellationToken = default);

    /// <summary>The ledger, oldest first: the balance can be audited from it.</summary>
    Task<IReadOnlyList<CreditLedgerEntry>> GetLedgerAsync(OrganisationId organisationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The ledger as a statement for a period, paged: opening balance, the period's entries, closing balance. The actor
    /// must be an organisation admin; the period must end after it starts (<see cref="MessagingErrorCodes.OutOfRange"/>).
    /// </summary>
    Task<CreditStatement> GetStatementAsync(StaffId actor, OrganisationId organisationId, CreditStatementRequest request, CancellationToken cancellationToken = default);
}
