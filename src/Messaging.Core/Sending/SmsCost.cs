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
        => SmsSegmentCalculator.Calculate(wording.Compose(
            workspaceId, body, [.. Enumerable.Repeat(attachmentLinks.PlaceholderLink, attachments)], allowReply ? replyTokens.PlaceholderLink : null));
}
