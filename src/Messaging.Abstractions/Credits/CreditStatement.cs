using NodaTime;

namespace Messaging;

/// <summary>An entry of the credit ledger as stored, with the organisation's balance right after it (R15).</summary>
/// <param name="Entry">The entry.</param>
/// <param name="BalanceAfter">The balance once this entry was applied, in the ledger's order.</param>
public sealed record CreditLedgerLine(CreditLedgerEntry Entry, int BalanceAfter);

/// <summary>Where the next page of a credit statement starts: the ledger position of the last entry returned.</summary>
/// <param name="Position">The store's ledger position; opaque to callers.</param>
public readonly record struct CreditStatementCursor(long Position);

/// <summary>Which period of the ledger to read as a statement, and which page of it.</summary>
public sealed record CreditStatementRequest
{
    /// <summary>The start of the period, inclusive.</summary>
    public required Instant From { get; init; }

    /// <summary>The end of the period, exclusive; after <see cref="From"/>.</summary>
    public required Instant To { get; init; }

    /// <summary>The cursor of the previous page, or <see langword="null"/> for the first page.</summary>
    public CreditStatementCursor? After { get; init; }

    /// <summary>The page size, or <see langword="null"/> for the configured default.</summary>
    public int? PageSize { get; init; }
}

/// <summary>
/// A statement of an organisation's SMS credits for a period (R15): the opening balance (every entry before
/// <see cref="From"/>), the period's entries in ledger order, and the closing balance (every entry before
/// <see cref="To"/>). The closing balance is the opening balance plus the amounts of all the period's entries.
/// </summary>
/// <param name="OrganisationId">The organisation.</param>
/// <param name="From">The start of the period, inclusive.</param>
/// <param name="To">The end of the period, exclusive.</param>
/// <param name="OpeningBalance">The balance at <paramref name="From"/>.</param>
/// <param name="Entries">This page of the period's entries, oldest first.</param>
/// <param name="ClosingBalance">The balance at <paramref name="To"/>.</param>
/// <param name="NextCursor">Where the next page starts, or <see langword="null"/> on the last page.</param>
public sealed record CreditStatement(
    OrganisationId OrganisationId,
    Instant From,
    Instant To,
    int OpeningBalance,
    IReadOnlyList<CreditLedgerEntry> Entries,
    int ClosingBalance,
    CreditStatementCursor? NextCursor);
