namespace Messaging.Storage.InMemory;

internal sealed partial class InMemoryMessagingStore
{
    private readonly Dictionary<DirectMessageId, DirectMessage> _directMessages = [];
    private readonly Dictionary<string, DirectMessageId> _directMessagesByLinkHash = new(StringComparer.Ordinal);

    public ValueTask<DirectMessage?> GetDirectMessageAsync(DirectMessageId id, CancellationToken cancellationToken = default)
        => Read(() => _directMessages.GetValueOrDefault(id));

    public ValueTask<DirectMessage?> FindDirectMessageByLinkTokenHashAsync(string linkTokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(linkTokenHash);
        return Read(() => _directMessagesByLinkHash.TryGetValue(linkTokenHash, out var id) ? _directMessages[id] : null);
    }

    private Action ApplyAddDirectMessage(DirectMessage directMessage)
    {
        RequireFreeLinkHash(directMessage);
        var undoInsert = Insert(_directMessages, directMessage.Id, directMessage, "Direct Message");
        IndexLinkHash(directMessage);
        return () =>
        {
            UnindexLinkHash(directMessage);
            undoInsert();
        };
    }

    private Action ApplyUpdateDirectMessage(DirectMessage directMessage, long expectedVersion)
    {
        var current = _directMessages.GetValueOrDefault(directMessage.Id)
            ?? throw new MessagingNotFoundException(MessagingErrorCodes.DirectMessageNotFound, $"Direct Message '{directMessage.Id}' was not found.");
        if (current.Version != expectedVersion)
        {
            throw new MessagingConflictException(
                MessagingErrorCodes.ConcurrencyConflict,
                $"Direct Message '{directMessage.Id}' changed since it was read (version {expectedVersion} expected, {current.Version} found); read it again and retry.");
        }

        if (directMessage.Version != expectedVersion + 1)
        {
            throw new InvalidOperationException($"An updated Direct Message must carry version {expectedVersion + 1}, not {directMessage.Version}.");
        }

        RequireFreeLinkHash(directMessage);
        UnindexLinkHash(current);
        _directMessages[directMessage.Id] = directMessage;
        IndexLinkHash(directMessage);
        return () =>
        {
            UnindexLinkHash(directMessage);
            _directMessages[directMessage.Id] = current;
            IndexLinkHash(current);
        };
    }

    private void RequireFreeLinkHash(DirectMessage directMessage)
    {
        if (directMessage.LinkTokenHash is { } hash
            && _directMessagesByLinkHash.TryGetValue(hash, out var holder)
            && holder != directMessage.Id)
        {
            throw new MessagingConflictException(MessagingErrorCodes.AlreadyExists, "Another Direct Message has this link token hash.");
        }
    }

    private void IndexLinkHash(DirectMessage directMessage)
    {
        if (directMessage.LinkTokenHash is { } hash)
        {
            _directMessagesByLinkHash[hash] = directMessage.Id;
        }
    }

    private void UnindexLinkHash(DirectMessage directMessage)
    {
        if (directMessage.LinkTokenHash is { } hash)
        {
            _directMessagesByLinkHash.Remove(hash);
        }
    }
}
