using NodaTime;

namespace Messaging.Storage;

/// <summary>Reads of the SMS credit ledger (R15).</summary>
public interface ICreditReader
{
    /// <summary>The organisation's balance: the sum of its ledger.</summary>
    ValueTask<int> GetCreditBalanceAsync(OrganisationId organisationId, CancellationToken cancellationToken = default);

    /// <summary>The organisation's ledger, oldest first.</summary>
    ValueTask<IReadOnlyList<CreditLedgerEntry>> ListCreditLedgerAsync(OrganisationId organisationId, CancellationToken cancellationToken = default);

    /// <summary>The entry with the balance right after it, or <see langword="null"/>.</summary>
    ValueTask<CreditLedgerLine?> GetCreditEntryAsync(OrganisationId organisationId, Guid entryId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The organisation's <see cref="CreditEntryKind.Purchase"/> with this reference, or <see langword="null"/>. A store
    /// refuses a second purchase with the same reference in an organisation at commit
    /// (<see cref="MessagingErrorCodes.AlreadyExists"/>), also when two commits race.
    /// </summary>
    ValueTask<CreditLedgerLine?> FindCreditPurchaseAsync(OrganisationId organisationId, string reference, CancellationToken cancellationToken = default);

    /// <summary>
    /// A page of the ledger as a statement for [<paramref name="from"/>, <paramref name="to"/>): the sums of the entries
    /// before each bound as opening and closing balances, and up to <paramref name="limit"/> entries of the period in
    /// ledger order after <paramref name="after"/>.
    /// </summary>
    ValueTask<CreditStatement> ReadCreditStatementAsync(
        OrganisationId organisationId, Instant from, Instant to, CreditStatementCursor? after, int limit, CancellationToken cancellationToken = default);
}
