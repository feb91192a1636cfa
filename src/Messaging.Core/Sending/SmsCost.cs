using Messaging.Attachments;
using Messaging.Replies;

namespace Messaging.Sending;

/// <summary>
/// What an SMS will cost (R15), counted on the text as the patient receives it: the staff text, then a download link
/// per attachment and the reply link, each with a placeholder token of the real length (tokens are minted only at
/// dispatch). The send path charges this and the template preview reports it, so the two cannot drift apart.
/// </summary>
internal sealed class SmsCost(AttachmentLinks attachmentLinks, ReplyTokens replyTokens)
{
    public SmsSegmentInfo Measure(string body, int attachments, bool allowReply)
        => SmsSegmentCalculator.Calculate(PatientText.Compose(
            body, [.. Enumerable.Repeat(attachmentLinks.PlaceholderLink, attachments)], allowReply ? replyTokens.PlaceholderLink : null));
}
