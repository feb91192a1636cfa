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
    private const string ReplyField = "reply";

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
        if (page.Error is { } error)
        {
            html.Raw("<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\">")
                .Raw("<h2 id=\"error-summary-title\">There is a problem</h2><ul><li><a href=\"#").Raw(ReplyField).Raw("\">")
                .Text(error).Raw("</a></li></ul></div>\n");
        }

        html.Raw("<section class=\"staff-message\" aria-labelledby=\"message-heading\">\n<h2 id=\"message-heading\">")
            .Text(page.SenderName is { Length: > 0 } sender ? "Message from " + sender : "Message from your care team")
            .Raw("</h2>\n<div class=\"message-text\">").Text(page.StaffMessage ?? string.Empty).Raw("</div>\n</section>\n");

        html.Raw("<form method=\"post\" action=\"").Text(page.FormAction ?? string.Empty).Raw("\" class=\"reply-form\">\n");
        AntiforgeryField(html, page);
        html.Raw("<div class=\"field").Raw(page.Error is null ? string.Empty : " field-error").Raw("\">\n")
            .Raw("<label for=\"").Raw(ReplyField).Raw("\">Your reply</label>\n")
            .Raw("<p id=\"reply-hint\" class=\"hint\">You can reply once, in up to ")
            .Text(page.MaxReplyLength.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Raw(" characters. Do not use this for anything urgent.</p>\n");
        if (page.Error is { } message)
        {
            html.Raw("<p id=\"reply-error\" class=\"error-message\"><span class=\"visually-hidden\">Error:</span> ").Text(message).Raw("</p>\n");
        }

        html.Raw("<textarea id=\"").Raw(ReplyField).Raw("\" name=\"").Raw(ReplyField).Raw("\" rows=\"6\" maxlength=\"")
            .Text(page.MaxReplyLength.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Raw("\" required aria-describedby=\"reply-hint").Raw(page.Error is null ? "\"" : " reply-error\" aria-invalid=\"true\"")
            .Raw(">").Text(page.ReplyText ?? string.Empty).Raw("</textarea>\n</div>\n")
            .Raw("<button type=\"submit\" class=\"button\">Send reply</button>\n</form>\n")
            .Raw(Urgent);
    }

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
