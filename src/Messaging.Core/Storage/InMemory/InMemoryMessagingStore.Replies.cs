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
        var hashes = HashesOf(token.ConversationId);
        if (token.State == ReplyTokenState.Active)
        {
            SupersedeActive(hashes, _ => true, undo);
        }

        undo.Add(Insert(_replyTokens, token.TokenHash, token, "Reply token"));
        hashes.Add(token.TokenHash);
        undo.Add(() => hashes.Remove(token.TokenHash));
        return UndoAll(undo);
    }

    private Action ApplyActivateReplyToken(string tokenHash)
    {
        if (_replyTokens.GetValueOrDefault(tokenHash) is not { State: ReplyTokenState.Pending } token)
        {
            return () => { };
        }

        // Newest wins (R29): a newer active token keeps its place and this one is superseded; otherwise it replaces the older.
        var hashes = HashesOf(token.ConversationId);
        if (hashes.Any(h => _replyTokens[h] is { State: ReplyTokenState.Active } other && IssuedBefore(token, other)))
        {
            return Put(_replyTokens, tokenHash, token with { State = ReplyTokenState.Superseded });
        }

        var undo = new List<Action>();
        SupersedeActive(hashes, _ => true, undo);
        undo.Add(Put(_replyTokens, tokenHash, token with { State = ReplyTokenState.Active }));
        return UndoAll(undo);
    }

    private Action ApplyRevokeReplyToken(string tokenHash)
        => _replyTokens.GetValueOrDefault(tokenHash) is { State: ReplyTokenState.Pending } token
            ? Put(_replyTokens, tokenHash, token with { State = ReplyTokenState.Revoked })
            : () => { };

    private Action ApplySpendReplyToken(string tokenHash, NodaTime.Instant usedAt)
    {
        if (_replyTokens.GetValueOrDefault(tokenHash) is not { State: ReplyTokenState.Active or ReplyTokenState.Pending } token)
        {
            throw new MessagingConflictException(MessagingErrorCodes.ReplyTokenSpent, "The reply link was used or replaced meanwhile.");
        }

        // A reply through a pending token shows its message reached the patient: older links are superseded (R12, R29).
        var undo = new List<Action>();
        SupersedeActive(HashesOf(token.ConversationId), older => IssuedBefore(older, token), undo);
        undo.Add(Put(_replyTokens, tokenHash, token with { State = ReplyTokenState.Used, UsedAt = usedAt }));
        return UndoAll(undo);
    }

    /// <summary>Whether <paramref name="a"/> was issued before <paramref name="b"/>: by time, then by hash (so ties are ordered too).</summary>
    private static bool IssuedBefore(ReplyToken a, ReplyToken b)
        => a.IssuedAt < b.IssuedAt || (a.IssuedAt == b.IssuedAt && string.CompareOrdinal(a.TokenHash, b.TokenHash) < 0);

    private List<string> HashesOf(ConversationId conversationId)
    {
        if (!_replyTokensByConversation.TryGetValue(conversationId, out var hashes))
        {
            _replyTokensByConversation[conversationId] = hashes = [];
        }

        return hashes;
    }

    private void SupersedeActive(List<string> hashes, Func<ReplyToken, bool> which, List<Action> undo)
    {
        foreach (var hash in hashes)
        {
            if (_replyTokens[hash] is { State: ReplyTokenState.Active } active && which(active))
            {
                undo.Add(Put(_replyTokens, hash, active with { State = ReplyTokenState.Superseded }));
            }
        }
    }

    private static Action UndoAll(List<Action> undo) => () =>
    {
        for (var i = undo.Count - 1; i >= 0; i--)
        {
            undo[i]();
        }
    };
}
