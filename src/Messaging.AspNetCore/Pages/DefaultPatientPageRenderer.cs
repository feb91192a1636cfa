using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Messaging.AspNetCore.Pages;

/// <summary>
/// The built-in pages: plain, accessible HTML (one <c>h1</c>, labelled fields with hints and errors tied by
/// <c>aria-describedby</c>, a skip link, GOV.UK-like focus styles and contrast), mobile-first, no JavaScript.
/// </summary>
internal sealed class DefaultPatientPageRenderer(IOptions<MessagingWebOptions> options) : IPatientPageRenderer
{
    /// <summary>Encodes markup characters and control characters but keeps letters of every script readable.</summary>
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);
    private readonly MessagingWebOptions _options = options.Value;

    public Task RenderAsync(HttpContext context, PatientPage page)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(page);
        var html = new Html();
        var (title, body) = page.Kind switch
        {
            PatientPageKind.ReplyForm => ("Reply to your care team", (Action<Html>)(h => ReplyForm(h, page))),
            PatientPageKind.ReplySent => ("Your reply has been sent", h => h
                .P("Thank you. Your care team will read your reply and get back to you if they need to.")
                .P("You do not need to do anything else. You can close this page.")
                .Raw(Urgent)),
            PatientPageKind.ReplyAlreadyUsed => ("You have already replied", h => h
                .P("This link has already been used: it lets you reply once, and a reply was sent with it. Your care team has your reply.")
                .P("If you need to tell them something else, please contact them directly.")
                .Raw(Urgent)),
            PatientPageKind.ReplySuperseded => ("There is a newer message for you", h => h
                .P("Your care team has sent you a newer message since this one, so this link no longer works.")
                .P("To reply, please use the link in the newest message you received from them.")
                .Raw(Urgent)),
            PatientPageKind.ReplyExpired => ("This link has expired", h => h
                .P("To keep your information safe, reply links only work for a limited time, and this one has run out.")
                .P("If you still need to reply, please contact your care team directly.")
                .Raw(Urgent)),
            PatientPageKind.DownloadExpired => ("This download link has expired", h => h
                .P("To keep your information safe, download links only work for a limited time, and this one has run out.")
                .P("If you still need the document, please ask your care team to send it again.")
                .Raw(Urgent)),
            PatientPageKind.DirectMessageCode => ("Enter your access code", h => CodeForm(h, page)),
            PatientPageKind.DirectMessageContent => (page.DirectMessage?.Subject is { Length: > 0 } subject ? subject : "Your secure message", h => Content(h, page)),
            PatientPageKind.DirectMessageLocked => ("This message is locked", h => h
                .P("The access code was entered wrongly too many times, so this message has been locked to keep it safe.")
                .P("Please contact your care team and ask them to send you a new code.")
                .Raw(Urgent)),
            PatientPageKind.DirectMessageExpired => ("This secure message has expired", h => h
                .P("To keep your information safe, the link and code for a secure message only work for a limited time, and these have run out.")
                .P("Please contact your care team and ask them to send it again.")
                .Raw(Urgent)),
            PatientPageKind.TooManyRequests => ("Please wait a moment", h => h
                .P("This page has been opened or sent too many times in a short while, so we have paused it to keep your information safe.")
                .P("Please wait a minute, then try again.")
                .Raw(Urgent)),
            PatientPageKind.RequestTooLarge => ("This was too large to send", h => h
                .P("What you tried to send was too large. If you added a file, please go back and choose a smaller one, or send your reply without it.")
                .P("If it still does not work, please contact your care team directly.")
                .Raw(Urgent)),
            _ => ("We could not find this page", h => h
                .P("The link may be incomplete. Please check that you opened the whole link from your message, exactly as it was sent.")
                .P("If it still does not work, please contact your care team directly.")
                .Raw(Urgent)),
        };

        Layout(html, page.Error is null ? title : "Error: " + title, title, body);
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(html.ToString(), context.RequestAborted);
    }

    private const string Urgent =
        "<div class=\"inset\"><p>If you need help urgently, call NHS 111. In an emergency, call 999.</p></div>";

    private void Layout(Html html, string documentTitle, string heading, Action<Html> body)
    {
        html.Raw("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Raw("<meta name=\"robots\" content=\"noindex, nofollow\">\n")
            .Raw("<meta name=\"referrer\" content=\"no-referrer\">\n")
            .Raw("<title>").Text(documentTitle).Raw(" – ").Text(_options.SiteName).Raw("</title>\n");
        if (_options.UseDefaultStylesheet)
        {
            html.Raw("<link rel=\"stylesheet\" href=\"../").Text(PatientPages.StylesheetPath).Raw("\">\n");
        }

        if (_options.StylesheetUrl is { } custom)
        {
            html.Raw("<link rel=\"stylesheet\" href=\"").Text(custom.OriginalString).Raw("\">\n");
        }

        html.Raw("</head>\n<body>\n<a class=\"skip-link\" href=\"#main\">Skip to main content</a>\n")
            .Raw("<header class=\"site-header\"><p class=\"site-name\">").Text(_options.SiteName).Raw("</p></header>\n")
            .Raw("<main id=\"main\" class=\"page\" tabindex=\"-1\">\n<h1>").Text(heading).Raw("</h1>\n");
        body(html);
        html.Raw("</main>\n<footer class=\"site-footer\"><p>This page is private to you. Do not share its link.</p></footer>\n</body>\n</html>\n");
    }

    private static void ReplyForm(Html html, PatientPage page)
    {
        const string Reply = PatientPageFields.Reply;
        const string File = PatientPageFields.Attachment;
        var replyError = page.Error is not null && page.ErrorField is null or Reply;
        var fileError = page.Error is not null && page.ErrorField == File;
        ErrorSummary(html, page, fileError ? File : Reply);
        html.Raw("<section class=\"staff-message\" aria-labelledby=\"message-heading\">\n<h2 id=\"message-heading\">")
            .Text(page.SenderName is { Length: > 0 } sender ? "Message from " + sender : "Message from your care team")
            .Raw("</h2>\n<div class=\"message-text\">").Text(page.StaffMessage ?? string.Empty).Raw("</div>\n</section>\n");

        html.Raw("<form method=\"post\" action=\"").Text(page.FormAction ?? string.Empty).Raw("\" class=\"reply-form\"")
            .Raw(page.AllowAttachment ? " enctype=\"multipart/form-data\">\n" : ">\n");
        AntiforgeryField(html, page);
        var length = page.MaxReplyLength.ToString(CultureInfo.InvariantCulture);
        html.Raw("<div class=\"field").Raw(replyError ? " field-error" : string.Empty).Raw("\">\n")
            .Raw("<label for=\"").Raw(Reply).Raw("\">Your reply</label>\n")
            .Raw("<p id=\"reply-hint\" class=\"hint\">You can reply once, in up to ").Text(length)
            .Raw(" characters. Do not use this for anything urgent.</p>\n");
        if (replyError)
        {
            html.Raw("<p id=\"reply-error\" class=\"error-message\"><span class=\"visually-hidden\">Error:</span> ").Text(page.Error!).Raw("</p>\n");
        }

        html.Raw("<textarea id=\"").Raw(Reply).Raw("\" name=\"").Raw(Reply).Raw("\" rows=\"6\" maxlength=\"").Text(length)
            .Raw("\" required aria-describedby=\"reply-hint").Raw(replyError ? " reply-error\" aria-invalid=\"true\"" : "\"")
            .Raw(">").Text(page.ReplyText ?? string.Empty).Raw("</textarea>\n</div>\n");

        if (page.AllowAttachment)
        {
            html.Raw("<div class=\"field").Raw(fileError ? " field-error" : string.Empty).Raw("\">\n")
                .Raw("<label for=\"").Raw(File).Raw("\">Add a photo or document (optional)</label>\n")
                .Raw("<p id=\"attachment-hint\" class=\"hint\">One file: ").Text(Describe(page.AcceptedFileTypes))
                .Raw(", up to ").Text(Megabytes(page.MaxFileBytes)).Raw(".</p>\n");
            if (fileError)
            {
                html.Raw("<p id=\"attachment-error\" class=\"error-message\"><span class=\"visually-hidden\">Error:</span> ").Text(page.Error!).Raw("</p>\n");
            }

            html.Raw("<input type=\"file\" id=\"").Raw(File).Raw("\" name=\"").Raw(File).Raw("\" accept=\"").Text(string.Join(',', page.AcceptedFileTypes))
                .Raw("\" aria-describedby=\"attachment-hint").Raw(fileError ? " attachment-error\" aria-invalid=\"true\"" : "\"").Raw(">\n</div>\n");
        }

        html.Raw("<button type=\"submit\" class=\"button\">Send reply</button>\n</form>\n")
            .Raw(Urgent);
    }

    private static void CodeForm(Html html, PatientPage page)
    {
        const string Code = PatientPageFields.AccessCode;
        ErrorSummary(html, page, Code);
        html.P("Your care team has sent you a secure message. To read it, enter the access code we sent to your mobile phone by text message.")
            .Raw("<form method=\"post\" action=\"").Text(page.FormAction ?? string.Empty).Raw("\" class=\"code-form\">\n");
        AntiforgeryField(html, page);
        html.Raw("<div class=\"field").Raw(page.Error is null ? string.Empty : " field-error").Raw("\">\n")
            .Raw("<label for=\"").Raw(Code).Raw("\">Access code</label>\n")
            .Raw("<p id=\"code-hint\" class=\"hint\">The code is in the text message, for example KX7F 3PQA. Capital or small letters both work.</p>\n");
        if (page.Error is { } error)
        {
            html.Raw("<p id=\"code-error\" class=\"error-message\"><span class=\"visually-hidden\">Error:</span> ").Text(error).Raw("</p>\n");
        }

        html.Raw("<input type=\"text\" id=\"").Raw(Code).Raw("\" name=\"").Raw(Code)
            .Raw("\" class=\"code-input\" autocomplete=\"one-time-code\" autocapitalize=\"characters\" spellcheck=\"false\" required maxlength=\"40\" aria-describedby=\"code-hint")
            .Raw(page.Error is null ? "\"" : " code-error\" aria-invalid=\"true\"").Raw(">\n</div>\n")
            .Raw("<button type=\"submit\" class=\"button\">Show my message</button>\n</form>\n")
            .P("After 5 wrong codes the message is locked, and your care team will need to send you a new code.")
            .Raw(Urgent);
    }

    private static void Content(Html html, PatientPage page)
    {
        if (page.DirectMessage is not { } message)
        {
            return;
        }

        html.Raw("<p class=\"hint\">").Text(message.SenderName is { Length: > 0 } sender ? "From " + sender : "From your care team").Raw("</p>\n")
            .Raw("<div class=\"message-text secure-message\">").Text(message.Body).Raw("</div>\n");
        if (message.Attachments.Count > 0)
        {
            html.Raw("<h2>Documents</h2>\n<ul class=\"documents\">\n");
            foreach (var file in message.Attachments)
            {
                html.Raw("<li><a href=\"").Text(file.DownloadLink.AbsoluteUri).Raw("\" download>").Text(file.FileName).Raw("</a> <span class=\"hint\">(")
                    .Text(Describe([file.ContentType])).Raw(", ").Text(Megabytes(file.Length)).Raw(")</span></li>\n");
            }

            html.Raw("</ul>\n");
        }

        html.P("This page is not saved. To read the message again, open the link in your email and enter the code again.")
            .Raw(Urgent);
    }

    /// <summary>The GOV.UK-style error summary at the top of a form page, linking to the field.</summary>
    private static void ErrorSummary(Html html, PatientPage page, string field)
    {
        if (page.Error is { } error)
        {
            html.Raw("<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\">")
                .Raw("<h2 id=\"error-summary-title\">There is a problem</h2><ul><li><a href=\"#").Raw(field).Raw("\">")
                .Text(error).Raw("</a></li></ul></div>\n");
        }
    }

    /// <summary>"PDF, JPEG or PNG" from media types.</summary>
    internal static string Describe(IReadOnlyList<string> types)
    {
        var names = types.Select(t => t.ToLowerInvariant() switch
        {
            "application/pdf" => "PDF",
            "image/jpeg" => "JPEG",
            "image/png" => "PNG",
            var other => other[(other.IndexOf('/', StringComparison.Ordinal) + 1)..].ToUpperInvariant(),
        }).Distinct().ToList();
        return names.Count <= 1 ? string.Concat(names) : string.Join(", ", names.Take(names.Count - 1)) + " or " + names[^1];
    }

    internal static string Megabytes(long bytes) => bytes >= 1024 * 1024
        ? (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MB"
        : Math.Max(1, bytes / 1024).ToString(CultureInfo.InvariantCulture) + " KB";

    private static void AntiforgeryField(Html html, PatientPage page)
    {
        if (page.Antiforgery is { FormFieldName: { } name, RequestToken: { } token })
        {
            html.Raw("<input type=\"hidden\" name=\"").Text(name).Raw("\" value=\"").Text(token).Raw("\">\n");
        }
    }

    /// <summary>A tiny HTML writer: <see cref="Text"/> encodes, <see cref="Raw"/> does not.</summary>
    private sealed class Html
    {
        private readonly StringBuilder _builder = new(4096);

        public Html Raw(string markup)
        {
            _builder.Append(markup);
            return this;
        }

        public Html Text(string text)
        {
            _builder.Append(Encoder.Encode(text));
            return this;
        }

        public Html P(string text) => Raw("<p>").Text(text).Raw("</p>\n");

        public override string ToString() => _builder.ToString();
    }
}
