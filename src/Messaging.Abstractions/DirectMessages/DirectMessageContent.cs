using NodaTime;

namespace Messaging;

/// <summary>The content of an unlocked Direct Message.</summary>
/// <param name="Id">The Direct Message.</param>
/// <param name="Subject">Its title.</param>
/// <param name="Body">Its content.</param>
/// <param name="Attachments">Its documents and forms, each with a fresh download link.</param>
/// <param name="SenderName">The sender's display name (never a phone number or address).</param>
/// <param name="SentAt">When it was sent.</param>
public sealed record DirectMessageContent(
    DirectMessageId Id,
    string Subject,
    string Body,
    IReadOnlyList<DirectMessageDownload> Attachments,
    string? SenderName,
    Instant SentAt)
{
    /// <summary>Ids only: the content never reaches a log through this method.</summary>
    public override string ToString() => $"DirectMessageContent {{ Id = {Id}, Attachments = {Attachments.Count} }}";
}
