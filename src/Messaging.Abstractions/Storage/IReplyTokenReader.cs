namespace Messaging.Storage;

/// <summary>Reads of reply tokens (R12).</summary>
public interface IReplyTokenReader
{
    /// <summary>The token with this hash, or <see langword="null"/>.</summary>
    ValueTask<ReplyToken?> FindReplyTokenAsync(string tokenHash, CancellationToken cancellationToken = default);
}
