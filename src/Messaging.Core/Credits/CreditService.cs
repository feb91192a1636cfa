using Messaging.Storage;
using Messaging.Workspaces;
using Microsoft.Extensions.Options;
using NodaTime;
using static Messaging.Audit.Audit;

namespace Messaging.Credits;

/// <summary>
/// R15: purchases by an organisation admin add to an append-only ledger whose sum is the balance; a payment reference
/// buys credits once; the ledger reads as a statement per period.
/// </summary>
internal sealed class CreditService(IMessagingStore store, WorkspaceAccess access, IClock clock, IOptions<PatientMessagingOptions> options) : ICreditService
{
    private const int MaxPurchase = 10_000_000;
    private const int MaxReferenceLength = 200;

    public async Task<CreditLedgerLine> PurchaseAsync(StaffId actor, OrganisationId organisationId, int credits, string reference, CancellationToken cancellationToken = default)
    {
        if (credits is < 1 or > MaxPurchase)
        {
            throw new MessagingValidationException(MessagingErrorCodes.OutOfRange, $"A purchase must add between 1 and {MaxPurchase} credits.", "credits");
        }

        var checkedReference = Errors.RequireText(reference, "reference", MaxReferenceLength);
        await RequireOrganisationAdminAsync(actor, organisationId, cancellationToken).ConfigureAwait(false);

        // A retried payment call: the original purchase, or a conflict if the amount differs.
        if (await FindRepeatAsync(organisationId, checkedReference, credits, cancellationToken).ConfigureAwait(false) is { } original)
        {
            return original;
        }

        var entry = new CreditLedgerEntry(Guid.NewGuid(), organisationId, CreditEntryKind.Purchase, credits, null, clock.GetCurrentInstant(), checkedReference);
        try
        {
            await store.WriteAsync(
                work =>
                {
                    work.AppendCreditEntry(entry);
                    work.AppendAudit(Event(clock, organisationId, null, AuditActor.Staff(actor), AuditAction.CreditsPurchased, targetId: checkedReference,
                        details: new Dictionary<string, string> { ["credits"] = credits.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (MessagingConflictException e) when (e.ErrorCode == MessagingErrorCodes.AlreadyExists)
        {
            // Two calls with one reference raced and the store's unique index let one through: that one is the purchase.
            var winner = await FindRepeatAsync(organisationId, checkedReference, credits, cancellationToken).ConfigureAwait(false);
            if (winner is null)
            {
                throw;
            }

            return winner;
        }

        return await store.GetCreditEntryAsync(organisationId, entry.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The store did not return the purchase '{entry.Id:N}' it committed.");
    }

    public async Task<int> GetBalanceAsync(OrganisationId organisationId, CancellationToken cancellationToken = default)
        => await store.GetCreditBalanceAsync(organisationId, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<CreditLedgerEntry>> GetLedgerAsync(OrganisationId organisationId, CancellationToken cancellationToken = default)
        => await store.ListCreditLedgerAsync(organisationId, cancellationToken).ConfigureAwait(false);

    public async Task<CreditStatement> GetStatementAsync(StaffId actor, OrganisationId organisationId, CreditStatementRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.To <= request.From)
        {
            throw new MessagingValidationException(MessagingErrorCodes.OutOfRange, "A statement's period must end after it starts.", "to");
        }

        var settings = options.Value;
        var pageSize = request.PageSize ?? settings.DefaultPageSize;
        if (pageSize < 1 || pageSize > settings.MaxPageSize)
        {
            throw new MessagingValidationException(MessagingErrorCodes.OutOfRange, $"The page size must be between 1 and {settings.MaxPageSize}.", "pageSize");
        }

        if (request.After is { Position: < 0 })
        {
            throw new MessagingValidationException(MessagingErrorCodes.InvalidCursor, "The statement cursor is not valid.", "after");
        }

        await RequireOrganisationAdminAsync(actor, organisationId, cancellationToken).ConfigureAwait(false);
        return await store.ReadCreditStatementAsync(organisationId, request.From, request.To, request.After, pageSize, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An organisation admin is an admin of the organisation's default workspace (R2, R3).</summary>
    private async Task RequireOrganisationAdminAsync(StaffId actor, OrganisationId organisationId, CancellationToken cancellationToken)
    {
        var organisation = await store.GetOrganisationAsync(organisationId, cancellationToken).ConfigureAwait(false) ?? throw Errors.OrganisationNotFound(organisationId);
        await access.RequireAdminAsync(organisation.DefaultWorkspaceId, actor, cancellationToken).ConfigureAwait(false);
    }

    private async Task<CreditLedgerLine?> FindRepeatAsync(OrganisationId organisationId, string reference, int credits, CancellationToken cancellationToken)
    {
        var original = await store.FindCreditPurchaseAsync(organisationId, reference, cancellationToken).ConfigureAwait(false);
        if (original is not null && original.Entry.Amount != credits)
        {
            throw new MessagingConflictException(
                MessagingErrorCodes.IdempotencyKeyReused,
                $"Organisation '{organisationId}' already recorded a purchase with this payment reference for a different number of credits.");
        }

        return original;
    }
}
