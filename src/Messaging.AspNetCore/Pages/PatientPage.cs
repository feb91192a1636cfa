using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace Messaging.AspNetCore;

/// <summary>Which patient page to show. New kinds may be added as features are; a renderer should fall back sensibly.</summary>
public enum PatientPageKind
{
    /// <summary>A valid reply link: the staff message and the reply form (possibly with <see cref="PatientPage.Error"/>).</summary>
    ReplyForm = 0,

    /// <summary>The reply was recorded.</summary>
    ReplySent = 1,

    /// <summary>The link was already used for a reply (R12).</summary>
    ReplyAlreadyUsed = 2,

    /// <summary>Staff sent a newer reply-enabled message, whose link is the one to use (R12).</summary>
    ReplySuperseded = 3,

    /// <summary>The reply link is too old.</summary>
    ReplyExpired = 4,

    /// <summary>No such link (mistyped, cut short, or never issued).</summary>
    LinkNotFound = 5,

    /// <summary>An attachment's download link is too old (R11).</summary>
    DownloadExpired = 6,

    /// <summary>A Direct Message's link: the access-code form (possibly with <see cref="PatientPage.Error"/> and <see cref="PatientPage.AttemptsLeft"/>) (R18).</summary>
    DirectMessageCode = 7,

    /// <summary>An unlocked Direct Message: <see cref="PatientPage.DirectMessage"/> with its documents.</summary>
    DirectMessageContent = 8,

    /// <summary>Too many wrong codes: the Direct Message stays locked until staff send a new code.</summary>
    DirectMessageLocked = 9,

    /// <summary>The Direct Message's link or code is too old; staff can send new ones.</summary>
    DirectMessageExpired = 10,

    /// <summary>Too many requests for this link or from this client in a short while (HTTP 429); try again in a minute.</summary>
    TooManyRequests = 11,

    /// <summary>The form sent was larger than the page accepts (HTTP 413), e.g. a file over the attachment limit.</summary>
    RequestTooLarge = 12,
}

/// <summary>The names of the patient forms' fields: a host's own <see cref="IPatientPageRenderer"/> must use them.</summary>
public static class PatientPageFields
{
    /// <summary>The reply text (<see cref="PatientPageKind.ReplyForm"/>).</summary>
    public const string Reply = "reply";

    /// <summary>The access code from the SMS (<see cref="PatientPageKind.DirectMessageCode"/>).</summary>
    public const string AccessCode = "code";

    /// <summary>An optional file sent with the reply (<see cref="PatientPageKind.ReplyForm"/>, when <see cref="PatientPage.AllowAttachment"/>); the form is then <c>multipart/form-data</c>.</summary>
    public const string Attachment = "attachment";
}

/// <summary>
/// What a patient page shows: the data an <see cref="IPatientPageRenderer"/> turns into HTML. The SDK has already set
/// the status code and the no-store, no-referrer and security headers when the renderer runs.
/// </summary>
/// <remarks>
/// Every text here is plain text, unencoded: a renderer must HTML-encode it. <see cref="StaffMessage"/> and
/// <see cref="ReplyText"/> are patient data.
/// </remarks>
public sealed record PatientPage
{
    /// <summary>Which page.</summary>
    public required PatientPageKind Kind { get; init; }

    /// <summary>The HTTP status the page is sent with (already set on the response).</summary>
    public required int StatusCode { get; init; }

    /// <summary>The URL (path and query) the page's form posts to, when it has one.</summary>
    public string? FormAction { get; init; }

    /// <summary>The anti-forgery field the page's form must carry, when it has a form.</summary>
    public AntiforgeryTokenSet? Antiforgery { get; init; }

    /// <summary>The staff message the patient is replying to (<see cref="PatientPageKind.ReplyForm"/>).</summary>
    public string? StaffMessage { get; init; }

    /// <summary>The sender's display name, never a phone number or address (<see cref="PatientPageKind.ReplyForm"/>).</summary>
    public string? SenderName { get; init; }

    /// <summary>What the patient typed, to put back in the form when it is shown again with an <see cref="Error"/>.</summary>
    public string? ReplyText { get; init; }

    /// <summary>The longest reply accepted, for the form's <c>maxlength</c>.</summary>
    public int MaxReplyLength { get; init; } = PatientPages.MaxReplyLength;

    /// <summary>Whether the form offers a file input (<see cref="PatientPageFields.Attachment"/>) for a photo or document.</summary>
    public bool AllowAttachment { get; init; }

    /// <summary>The media types a file may have, for the file input's <c>accept</c>.</summary>
    public IReadOnlyList<string> AcceptedFileTypes { get; init; } = [];

    /// <summary>The largest file accepted, in bytes.</summary>
    public long MaxFileBytes { get; init; }

    /// <summary>A problem with what the patient sent, to show next to the field it concerns; <see langword="null"/> when none.</summary>
    public string? Error { get; init; }

    /// <summary>Wrong codes still allowed before the Direct Message locks, after a wrong code (<see cref="PatientPageKind.DirectMessageCode"/>).</summary>
    public int? AttemptsLeft { get; init; }

    /// <summary>The unlocked Direct Message, with a fresh download link per document (<see cref="PatientPageKind.DirectMessageContent"/>). Patient data.</summary>
    public DirectMessageContent? DirectMessage { get; init; }

    /// <summary>The field <see cref="Error"/> is about (one of <see cref="PatientPageFields"/>), or <see langword="null"/> for the whole form.</summary>
    public string? ErrorField { get; init; }

    /// <summary>The page and its status only: the texts are patient data and the form action carries the link's token (R22).</summary>
    public override string ToString() => $"PatientPage {{ Kind = {Kind}, StatusCode = {StatusCode} }}";
}

/// <summary>
/// Turns a <see cref="PatientPage"/> into the response body. The SDK's default writes accessible, mobile-first HTML
/// without JavaScript; register your own implementation (before or after <c>AddWebEndpoints()</c>) to render pages
/// with the host's layout.
/// </summary>
/// <remarks>
/// Called after the status code and headers are set. Implementations must HTML-encode every text of the page, put
/// <see cref="PatientPage.Antiforgery"/> in each form as a hidden field, and must not add caching headers or load
/// third-party scripts (patient content and secret links are on the page). Registered as a singleton; must be thread-safe.
/// </remarks>
public interface IPatientPageRenderer
{
    /// <summary>Writes the page.</summary>
    /// <param name="context">The request; write to its response.</param>
    /// <param name="page">What to show.</param>
    Task RenderAsync(HttpContext context, PatientPage page);
}
