namespace Messaging.Fhir;

/// <summary>What <see cref="FhirCommunicationMapper"/> turns into a FHIR <c>Bundle</c>: one patient's conversations.</summary>
/// <remarks>Everything here is patient data; the export is for the patient's record, not for logs.</remarks>
public sealed record FhirExportContent
{
    /// <summary>The patient every conversation is with; the <c>subject</c> of every <c>Communication</c>.</summary>
    public required Patient Patient { get; init; }

    /// <summary>The conversations, each with its messages.</summary>
    public required IReadOnlyList<FhirConversationContent> Conversations { get; init; }

    /// <summary>
    /// Members of the workspace, to name the staff who sent and received messages. A staff id with no member here is
    /// still exported, by id only.
    /// </summary>
    public IReadOnlyList<WorkspaceMember> Staff { get; init; } = [];
}

/// <summary>A conversation and its messages, for export.</summary>
/// <param name="Conversation">The conversation: its thread-header <c>Communication</c>.</param>
/// <param name="Messages">Its messages, in any order (they are exported oldest first).</param>
public sealed record FhirConversationContent(Conversation Conversation, IReadOnlyList<Message> Messages)
{
    /// <summary>The attachments of each message that has any (R11), exported as <c>payload.contentAttachment</c>.</summary>
    public IReadOnlyDictionary<MessageId, IReadOnlyList<FhirAttachment>> Attachments { get; init; } = new Dictionary<MessageId, IReadOnlyList<FhirAttachment>>();
}

/// <summary>An attachment of a message as FHIR R4 describes one: where to fetch it, its type, size and hash.</summary>
/// <param name="Url">Where the content can be fetched (e.g. the attachment's download link).</param>
/// <param name="ContentType">Its MIME type, e.g. <c>application/pdf</c>.</param>
/// <param name="Size">Its size in bytes.</param>
public sealed record FhirAttachment(Uri Url, string ContentType, long Size)
{
    /// <summary>A label to show, e.g. the file name.</summary>
    public string? Title { get; init; }

    /// <summary>
    /// The SHA-1 of the content. FHIR R4 defines <c>Attachment.hash</c> as SHA-1 (base64), so only a SHA-1 goes there;
    /// <see langword="null"/> leaves the hash out.
    /// </summary>
    public IReadOnlyList<byte>? Sha1 { get; init; }

    /// <summary>Type and size only: the URL is a bearer link and the title a file name that may name the patient (R22).</summary>
    public override string ToString() => $"FhirAttachment {{ ContentType = {ContentType}, Size = {Size} }}";
}
