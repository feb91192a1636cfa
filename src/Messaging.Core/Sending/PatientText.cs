using System.Net;
using System.Text;

namespace Messaging.Sending;

/// <summary>
/// What the patient receives: the staff text, then a download link per attachment (R11), then the reply link (R12).
/// The stored message keeps the staff text only, so no link token is ever stored in clear; the send path counts
/// segments on this composition with placeholder links of the same length.
/// </summary>
internal static class PatientText
{
    public static string Compose(string body, IReadOnlyList<Uri> attachmentLinks, Uri? replyLink)
    {
        if (attachmentLinks.Count == 0 && replyLink is null)
        {
            return body;
        }

        var text = new StringBuilder(body);
        for (var i = 0; i < attachmentLinks.Count; i++)
        {
            text.Append(i == 0 ? "\n\n" : "\n").Append(AttachmentLabel(i, attachmentLinks.Count)).Append(": ").Append(attachmentLinks[i].AbsoluteUri);
        }

        if (replyLink is not null)
        {
            text.Append("\n\nReply securely (once): ").Append(replyLink.AbsoluteUri);
        }

        return text.ToString();
    }

    public static string? ComposeHtml(string? html, IReadOnlyList<Uri> attachmentLinks, Uri? replyLink)
    {
        if (html is null || (attachmentLinks.Count == 0 && replyLink is null))
        {
            return html;
        }

        var text = new StringBuilder(html);
        for (var i = 0; i < attachmentLinks.Count; i++)
        {
            text.Append("<p><a href=\"").Append(WebUtility.HtmlEncode(attachmentLinks[i].AbsoluteUri)).Append("\">")
                .Append(AttachmentLabel(i, attachmentLinks.Count)).Append("</a></p>");
        }

        if (replyLink is not null)
        {
            text.Append("<p><a href=\"").Append(WebUtility.HtmlEncode(replyLink.AbsoluteUri)).Append("\">Reply securely (once)</a></p>");
        }

        return text.ToString();
    }

    private static string AttachmentLabel(int index, int count)
        => count == 1 ? "Download your document" : $"Download document {index + 1} of {count}";
}
