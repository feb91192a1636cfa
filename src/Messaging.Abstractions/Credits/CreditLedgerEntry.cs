using NodaTime;

namespace Messaging;

/// <summary>Why credits moved (R15).</summary>
public enum CreditEntryKind
{
    /// <summary>The organisation bought credits.</summary>
    Purchase = 0,

    /// <summary>A message was charged, one credit per SMS segment.</summary>
    Charge = 1,

    /// <summary>A charged message never reached a provider and its credits came back.</summary>
    Refund = 2,
}

/// <summary>An entry of an organisation's append-only credit ledger (R15); the balance is the sum of the amounts.</summary>
/// <param name="Id">Its id.</param>
/// <param name="OrganisationId">The organisation.</param>
/// <param name="Kind">Purchase, charge or refund.</param>
/// <param name="Amount">The signed change: positive for purchases and refunds, negative for charges.</param>
/// <param name="MessageId">The message charged or refunded, if any.</param>
/// <param name="At">When.</param>
/// <param name="Reference">The host's reference for a purchase (an invoice number), if any.</param>
public sealed record CreditLedgerEntry(Guid Id, OrganisationId OrganisationId, CreditEntryKind Kind, int Amount, MessageId? MessageId, Instant At, string? Reference = null);
