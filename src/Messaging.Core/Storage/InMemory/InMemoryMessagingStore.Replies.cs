namespace Messaging.Storage.InMemory;

internal sealed partial class InMemoryMessagingStore
{
    private readonly Dictionary<string, ReplyToken> _replyTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<ConversationId, List<string>> _replyTokensByConversation = [];

    public ValueTask<ReplyToken?> FindReplyTokenAsync(string tokenHash, CancellationToken cancellationToken = default)
        => Read(() => _replyTokens.GetValueOrDefault(tokenHash));

    private Action ApplyIssueReplyToken(ReplyToken token)
    {
        if (_replyTokens.GetValueOrDefault(token.TokenHash) is { } existing)
        {
            // A retry of the message issues its token again: nothing changes (R29). The same hash for another message is a clash.
            return existing.MessageId == token.MessageId && existing.ConversationId == token.ConversationId
                ? () => { }
                : throw new MessagingConflictException(MessagingErrorCodes.AlreadyExists, "Reply token already exists.");
        }

        var undo = new List<Action>();
        if (!_replyTokensByConversation.TryGetValue(token.ConversationId, out var hashes))
        {
            _replyTokensByConversation[token.ConversationId] = hashes = [];
        }

        foreach (var hash in hashes)
        {
            if (_replyTokens[hash] is { State: ReplyTokenState.Active } older)
            {
                undo.Add(Put(_replyTokens, hash, older with { State = ReplyTokenState.Superseded }));
            }
        }

        undo.Add(Insert(_replyTokens, token.TokenHash, token, "Reply token"));
        hashes.Add(token.TokenHash);
        undo.Add(() => hashes.Remove(token.TokenHash));
        return () =>
        {
            for (var i = undo.Count - 1; i >= 0; i--)
            {
                undo[i]();
            }
        };
    }

    private Action ApplySpendReplyToken(string tokenHash, NodaTime.Instant usedAt)
    {
        if (_replyTokens.GetValueOrDefault(tokenHash) is not { State: ReplyTokenState.Active } token)
        {
            throw new MessagingConflictException(MessagingErrorCodes.ReplyTokenSpent, "The reply link was used or replaced meanwhile.");
        }

        return Put(_replyTokens, tokenHash, token with { State = ReplyTokenState.Used, UsedAt = usedAt });
    }
}
