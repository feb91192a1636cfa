using Messaging.Attachments;
using Messaging.Replies;

namespace Messaging.Sending;

/// <summary>
/// What an SMS will cost (R15), counted on the text as the patient receives it: the staff text, then a download link
/// per attachment and the reply link in the workspace's wording, each with a placeholder token of the real length
/// (tokens are minted only at dispatch). The send path charges this and the template preview reports it, so the two
/// cannot drift apart.
/// </summary>
internal sealed class SmsCost(AttachmentLinks attachmentLinks, ReplyTokens replyTokens, PatientLinkWording wording)
{
    /// <summary>Counts <paramref name="body"/> as given: pass it through <see cref="PatientLinkWording.StaffSmsText"/> first.</summary>
    public SmsSegmentInfo Measure(WorkspaceId workspaceId, string body, int attachments, bool allowReply)
        => SmsSegmentCalculator.Calculate(Compose(workspaceId, body, attachments, allowReply));

    /// <summary>
    /// The text the patient will receive, links included (placeholder tokens of the real length), and its segments; the
    /// send path refuses it when it is longer than a provider takes in one request.
    /// </summary>
    public (SmsSegmentInfo Cost, int Length) MeasureComposed(WorkspaceId workspaceId, string body, int attachments, bool allowReply)
    {
        var composed = Compose(workspaceId, body, attachments, allowReply);
        return (SmsSegmentCalculator.Calculate(composed), composed.Length);
    }

    private string Compose(WorkspaceId workspaceId, string body, int attachments, bool allowReply)
        => wording.Compose(workspaceId, body, [.. Enumerable.Repeat(attachmentLinks.PlaceholderLink, attachments)], allowReply ? replyTokens.PlaceholderLink : null);
}
