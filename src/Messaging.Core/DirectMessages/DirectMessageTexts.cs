using System.Net;

namespace Messaging.DirectMessages;

/// <summary>
/// What the patient receives for a Direct Message (R18). The stored email says only that a secure message is waiting
/// and the stored SMS only introduces the code: the link and the code are appended when the outbox hands each one to
/// its provider, so neither is ever stored, and neither text carries the content, the subject or the other secret.
/// </summary>
internal static class DirectMessageTexts
{
    public static string EmailSubject(string organisationName) => $"Secure message from {organisationName}";

    public static string EmailBody(string organisationName)
        => $"{organisationName} has sent you a secure message.\n\n"
           + "Open it with the link below. To unlock it you also need the access code we are sending to your mobile phone by text message.\n\n"
           + "This email does not contain the message itself.";

    public static string EmailHtml(string organisationName)
        => $"<p>{WebUtility.HtmlEncode(organisationName)} has sent you a secure message.</p>"
           + "<p>Open it with the link below. To unlock it you also need the access code we are sending to your mobile phone by text message.</p>"
           + "<p>This email does not contain the message itself.</p>";

    public static string SmsBody(string organisationName) => $"{organisationName}: the access code for the secure message we emailed you is";

    /// <summary>The email text as sent: the stored text, then the link.</summary>
    public static string EmailWithLink(string body, Uri link) => $"{body}\n\nOpen your secure message: {link}";

    /// <summary>The email HTML as sent: the stored HTML, then the link.</summary>
    public static string? EmailHtmlWithLink(string? html, Uri link)
        => html is null ? null : $"{html}<p><a href=\"{WebUtility.HtmlEncode(link.AbsoluteUri)}\">Open your secure message</a></p>";

    /// <summary>The SMS as sent: the stored text, then the code.</summary>
    public static string SmsWithCode(string body, string code) => $"{body} {code}";
}
