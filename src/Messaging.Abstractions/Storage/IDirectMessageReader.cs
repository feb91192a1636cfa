namespace Messaging.Storage;

/// <summary>Reads of Direct Messages (R18).</summary>
public interface IDirectMessageReader
{
    /// <summary>The Direct Message, or <see langword="null"/>.</summary>
    ValueTask<DirectMessage?> GetDirectMessageAsync(DirectMessageId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// The Direct Message whose current <see cref="DirectMessage.LinkTokenHash"/> is <paramref name="linkTokenHash"/>
    /// (exact, ordinal match), or <see langword="null"/>. A hash that was replaced by a newer link finds nothing.
    /// Implementations answer from a unique index on the column.
    /// </summary>
    ValueTask<DirectMessage?> FindDirectMessageByLinkTokenHashAsync(string linkTokenHash, CancellationToken cancellationToken = default);
}
