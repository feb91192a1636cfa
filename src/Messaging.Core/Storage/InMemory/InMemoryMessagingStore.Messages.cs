using NodaTime;

namespace Messaging.Storage.InMemory;

internal sealed partial class InMemoryMessagingStore
{
    private readonly Dictionary<MessageId, Message> _messages = [];
    private readonly Dictionary<ConversationId, List<MessageId>> _messagesByConversation = [];
    private readonly Dictionary<(OrganisationId, string), MessageId> _messagesByIdempotencyKey = [];
    private readonly Dictionary<(string, string), MessageId> _messagesByProviderId = [];
    private readonly Dictionary<MessageId, OutboxEntry> _outbox = [];
    private readonly Dictionary<OrganisationId, List<CreditLedgerLine>> _ledgers = [];
    private readonly Dictionary<(OrganisationId, string), CreditLedgerLine> _purchasesByReference = [];
    private readonly Dictionary<OrganisationId, int> _balances = [];
    private readonly Dictionary<(OrganisationId, PhoneNumber), OptOutState> _optOuts = [];

    public ValueTask<Message?> GetMessageAsync(MessageId messageId, CancellationToken cancellationToken = default)
        => Read(() => _messages.GetValueOrDefault(messageId));

    public ValueTask<Message?> FindMessageByIdempotencyKeyAsync(OrganisationId organisationId, string idempotencyKey, CancellationToken cancellationToken = default)
        => Read(() => _messagesByIdempotencyKey.TryGetValue((organisationId, idempotencyKey), out var id) ? _messages[id] : null);

    public ValueTask<Message?> FindMessageByProviderIdAsync(string providerName, string providerMessageId, CancellationToken cancellationToken = default)
        => Read(() => _messagesByProviderId.TryGetValue((providerName, providerMessageId), out var id) ? _messages[id] : null);

    public ValueTask<IReadOnlyList<Message>> ListConversationMessagesAsync(ConversationId conversationId, CancellationToken cancellationToken = default)
        => Read<IReadOnlyList<Message>>(() => _messagesByConversation.TryGetValue(conversationId, out var ids) ? [.. ids.Select(id => _messages[id]).OrderBy(m => m.CreatedAt)] : []);

    public ValueTask<OptOutState?> GetOptOutAsync(OrganisationId organisationId, PhoneNumber number, CancellationToken cancellationToken = default)
        => Read(() => _optOuts.GetValueOrDefault((organisationId, number)));

    public ValueTask<int> GetCreditBalanceAsync(OrganisationId organisationId, CancellationToken cancellationToken = default)
        => Read(() => _balances.GetValueOrDefault(organisationId));

    public ValueTask<IReadOnlyList<CreditLedgerEntry>> ListCreditLedgerAsync(OrganisationId organisationId, CancellationToken cancellationToken = default)
        => Read<IReadOnlyList<CreditLedgerEntry>>(() => _ledgers.TryGetValue(organisationId, out var ledger) ? [.. ledger.Select(l => l.Entry)] : []);

    public ValueTask<CreditLedgerLine?> GetCreditEntryAsync(OrganisationId organisationId, Guid entryId, CancellationToken cancellationToken = default)
        => Read(() => _ledgers.TryGetValue(organisationId, out var ledger) ? ledger.Find(l => l.Entry.Id == entryId) : null);

    public ValueTask<CreditLedgerLine?> FindCreditPurchaseAsync(OrganisationId organisationId, string reference, CancellationToken cancellationToken = default)
        => Read(() => _purchasesByReference.GetValueOrDefault((organisationId, reference)));

    public ValueTask<CreditStatement> ReadCreditStatementAsync(
        OrganisationId organisationId, Instant from, Instant to, CreditStatementCursor? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return Read(() =>
        {
            var ledger = _ledgers.TryGetValue(organisationId, out var lines) ? lines : [];

            // A line's position is its index in the organisation's ledger, plus one.
            var start = after is { } cursor ? (int)Math.Min(Math.Max(cursor.Position, 0), ledger.Count) : 0;
            var page = ledger.Select((line, index) => (line.Entry, Position: index + 1L)).Skip(start)
                .Where(p => p.Entry.At >= from && p.Entry.At < to).Take(limit + 1).ToList();
            var opening = ledger.Where(l => l.Entry.At < from).Sum(l => l.Entry.Amount);
            var closing = ledger.Where(l => l.Entry.At < to).Sum(l => l.Entry.Amount);
            var more = page.Count > limit;
            if (more)
            {
                page.RemoveAt(limit);
            }

            return new CreditStatement(organisationId, from, to, opening, [.. page.Select(p => p.Entry)], closing,
                more ? new CreditStatementCursor(page[^1].Position) : null);
        });
    }

    public ValueTask<IReadOnlyList<OutboxEntry>> ClaimOutboxAsync(string owner, Instant now, Duration lease, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        return Read<IReadOnlyList<OutboxEntry>>(() =>
        {
            var claimed = _outbox.Values
                .Where(e => e.NextAttemptAt <= now && (e.LeaseExpiresAt is not { } expires || expires <= now))
                .OrderBy(e => e.NextAttemptAt)
                .ThenBy(e => e.MessageId.Value)
                .Take(maxCount)
                .Select(e => e with { LeaseOwner = owner, LeaseExpiresAt = now + lease })
                .ToList();
            claimed.ForEach(e => _outbox[e.MessageId] = e);
            return claimed;
        });
    }

    private Action ApplyAddMessage(Message message)
    {
        if (message.IdempotencyKey is { } key && _messagesByIdempotencyKey.ContainsKey((message.OrganisationId, key)))
        {
            throw new MessagingConflictException(MessagingErrorCodes.AlreadyExists, "A message with this idempotency key already exists.");
        }

        var undoInsert = Insert(_messages, message.Id, message, "Message");
        if (!_messagesByConversation.TryGetValue(message.ConversationId, out var list))
        {
            _messagesByConversation[message.ConversationId] = list = [];
        }

        list.Add(message.Id);
        if (message.IdempotencyKey is { } k)
        {
            _messagesByIdempotencyKey[(message.OrganisationId, k)] = message.Id;
        }

        IndexProviderId(message);
        var undoHistory = IndexHistory(message);
        return () =>
        {
            undoHistory();
            UnindexProviderId(message);
            if (message.IdempotencyKey is { } k2)
            {
                _messagesByIdempotencyKey.Remove((message.OrganisationId, k2));
            }

            list.Remove(message.Id);
            undoInsert();
        };
    }

    private Action ApplyUpdateMessage(Message message, long expectedVersion)
    {
        var current = _messages.GetValueOrDefault(message.Id)
            ?? throw new MessagingNotFoundException(MessagingErrorCodes.MessageNotFound, $"Message '{message.Id}' was not found.");
        if (current.Version != expectedVersion)
        {
            throw new MessagingConflictException(MessagingErrorCodes.ConcurrencyConflict, $"Message '{message.Id}' changed since it was read (version {expectedVersion} expected, {current.Version} found).");
        }

        UnindexProviderId(current);
        _messages[message.Id] = message;
        IndexProviderId(message);
        return () =>
        {
            UnindexProviderId(message);
            _messages[message.Id] = current;
            IndexProviderId(current);
        };
    }

    private void IndexProviderId(Message message)
    {
        if (message is { ProviderName: { } name, ProviderMessageId: { } id })
        {
            _messagesByProviderId[(name, id)] = message.Id;
        }
    }

    private void UnindexProviderId(Message message)
    {
        if (message is { ProviderName: { } name, ProviderMessageId: { } id })
        {
            _messagesByProviderId.Remove((name, id));
        }
    }

    private Action ApplyRenewOutboxLease(MessageId messageId, string leaseOwner, Instant now, Instant leaseExpiresAt)
    {
        var current = _outbox.GetValueOrDefault(messageId);
        if (current is null || current.LeaseOwner != leaseOwner || current.LeaseExpiresAt is not { } expires || expires <= now)
        {
            throw new MessagingConflictException(MessagingErrorCodes.LeaseLost, $"The outbox entry of message '{messageId}' is no longer held by '{leaseOwner}'.");
        }

        _outbox[messageId] = current with { LeaseExpiresAt = leaseExpiresAt };
        return () => _outbox[messageId] = current;
    }

    private Action ApplyOutboxLeaseChange(MessageId messageId, string leaseOwner, OutboxEntry? replacement)
    {
        var current = _outbox.GetValueOrDefault(messageId);
        if (current is null || current.LeaseOwner != leaseOwner)
        {
            throw new MessagingConflictException(MessagingErrorCodes.LeaseLost, $"The outbox entry of message '{messageId}' is no longer held by '{leaseOwner}'.");
        }

        if (replacement is null)
        {
            _outbox.Remove(messageId);
        }
        else
        {
            _outbox[messageId] = replacement;
        }

        return () => _outbox[messageId] = current;
    }

    private Action ApplyCreditEntry(CreditLedgerEntry entry)
    {
        var balance = _balances.GetValueOrDefault(entry.OrganisationId);
        if (balance + entry.Amount < 0)
        {
            throw new MessagingConflictException(
                MessagingErrorCodes.InsufficientCredits,
                $"Organisation '{entry.OrganisationId}' has {balance} SMS credits; this needs {-entry.Amount}.");
        }

        var purchaseKey = entry is { Kind: CreditEntryKind.Purchase, Reference: { } reference } ? (entry.OrganisationId, reference) : ((OrganisationId, string)?)null;
        if (purchaseKey is { } taken && _purchasesByReference.ContainsKey(taken))
        {
            throw new MessagingConflictException(MessagingErrorCodes.AlreadyExists, $"Organisation '{entry.OrganisationId}' already recorded a purchase with this reference.");
        }

        if (!_ledgers.TryGetValue(entry.OrganisationId, out var ledger))
        {
            _ledgers[entry.OrganisationId] = ledger = [];
        }

        var line = new CreditLedgerLine(entry, balance + entry.Amount);
        ledger.Add(line);
        _balances[entry.OrganisationId] = balance + entry.Amount;
        if (purchaseKey is { } key)
        {
            _purchasesByReference[key] = line;
        }

        return () =>
        {
            ledger.RemoveAt(ledger.Count - 1);
            _balances[entry.OrganisationId] = balance;
            if (purchaseKey is { } key)
            {
                _purchasesByReference.Remove(key);
            }
        };
    }
}
