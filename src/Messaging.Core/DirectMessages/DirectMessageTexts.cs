namespace Messaging.DirectMessages;

/// <summary>
/// The access-code SMS of a Direct Message (R18). The stored text only introduces the code (the workspace's
/// <see cref="PatientLinkTexts.DirectMessageAccessCode"/>): the code is appended when the outbox hands the SMS to its
/// provider, so it is never stored, and the text carries neither the content, the subject nor the link. (The link's
/// email is <see cref="PatientLinkTexts.DirectMessageEmail"/> or the host-overridable <see cref="SystemEmailOptions.DirectMessageLink"/>.)
/// </summary>
internal static class DirectMessageTexts
{
    /// <summary>The SMS as sent: the stored text, then the code.</summary>
    public static string SmsWithCode(string body, string code) => $"{body} {code}";
}
