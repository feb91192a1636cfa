using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Messaging.Templates;
using Microsoft.Extensions.Options;

namespace Messaging.Sending;

/// <summary>
/// What the patient receives: the staff text, then a download link per attachment (R11), then the reply link (R12), each
/// in the workspace's language (<see cref="PatientLinkTextOptions"/>) and, for SMS, GSM-7 downgraded as configured. The
/// stored message keeps the staff text only, so no link token is ever stored in clear; the send path and the template
/// preview count segments on this composition with placeholder links of the same length.
/// </summary>
internal sealed class PatientLinkWording(IOptions<PatientLinkTextOptions> options)
{
    /// <summary>The engine the wording compiles with: the built-in registry plus <c>link</c>, <c>number</c> and <c>count</c>.</summary>
    internal static TemplateEngine Engine { get; } = CreateEngine();

    private readonly PatientLinkTextOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, Compiled> _compiled = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The staff text as an SMS carries it: GSM-7 look-alikes replaced when <see cref="SmsCharacterDowngrade.SdkAndStaffText"/>
    /// is set, else unchanged. Applied before the message is stored, so history and preview show what the patient gets.
    /// </summary>
    public string StaffSmsText(string body)
        => _options.Gsm7Downgrade == SmsCharacterDowngrade.SdkAndStaffText ? GsmLookalikes.Downgrade(body) : body;

    /// <summary>The SMS or plain-text email: the body, then each download link, then the reply link, each on its own line.</summary>
    public string Compose(WorkspaceId workspaceId, string body, IReadOnlyList<Uri> attachmentLinks, Uri? replyLink)
    {
        if (attachmentLinks.Count == 0 && replyLink is null)
        {
            return body;
        }

        var wording = For(workspaceId);
        var text = new StringBuilder(body).Append("\n\n");
        for (var i = 0; i < attachmentLinks.Count; i++)
        {
            text.Append(Render(attachmentLinks.Count == 1 ? wording.Download : wording.NumberedDownload, attachmentLinks[i], i, attachmentLinks.Count, RenderMode.Text)).Append('\n');
        }

        if (replyLink is not null)
        {
            text.Append(Render(wording.Reply, replyLink, 0, 1, RenderMode.Text));
        }
        else
        {
            text.Length--; // the last download's line break
        }

        return text.ToString();
    }

    /// <summary>The HTML email: the body, then a paragraph per link.</summary>
    public string? ComposeHtml(WorkspaceId workspaceId, string? html, IReadOnlyList<Uri> attachmentLinks, Uri? replyLink)
    {
        if (html is null || (attachmentLinks.Count == 0 && replyLink is null))
        {
            return html;
        }

        var wording = For(workspaceId);
        var text = new StringBuilder(html);
        for (var i = 0; i < attachmentLinks.Count; i++)
        {
            text.Append("<p>").Append(Render(attachmentLinks.Count == 1 ? wording.DownloadHtml : wording.NumberedDownloadHtml, attachmentLinks[i], i, attachmentLinks.Count, RenderMode.Html)).Append("</p>");
        }

        if (replyLink is not null)
        {
            text.Append("<p>").Append(Render(wording.ReplyHtml, replyLink, 0, 1, RenderMode.Html)).Append("</p>");
        }

        return text.ToString();
    }

    /// <summary>
    /// The access-code SMS of a workspace's Direct Message as stored (the code is appended when it is sent), in the
    /// workspace's language and GSM-7 downgraded unless the downgrade is off.
    /// </summary>
    public string DirectMessageAccessCode(WorkspaceId workspaceId, string organisationName)
    {
        var template = _options.Languages[LanguageOf(workspaceId)].DirectMessageAccessCode;
        var values = Notifications.SystemEmails.Engine.CreateValues().Set(SystemEmailOptions.OrganisationName, organisationName);
        var text = Notifications.SystemEmails.Engine.Render(template, values).ReplaceLineEndings(" ").Trim();
        return _options.Gsm7Downgrade == SmsCharacterDowngrade.Off ? text : GsmLookalikes.Downgrade(text);
    }

    /// <summary>The link email of a workspace's Direct Message in its language, or <see langword="null"/> for the system email.</summary>
    public SystemEmailTemplate? DirectMessageEmail(WorkspaceId workspaceId)
        => _options.Languages[LanguageOf(workspaceId)].DirectMessageEmail;

    /// <summary>The language a workspace's messages are worded in.</summary>
    public string LanguageOf(WorkspaceId workspaceId)
        => _options.WorkspaceLanguages.TryGetValue(workspaceId.ToString(), out var language) ? language : _options.Language;

    private Compiled For(WorkspaceId workspaceId)
    {
        var language = LanguageOf(workspaceId);
        return _compiled.GetOrAdd(language, static (key, texts) =>
        {
            // Validated at start-up: the language exists and every wording compiles.
            var t = texts.Languages[key];
            var downgrade = texts.Gsm7Downgrade != SmsCharacterDowngrade.Off;
            string Plain(string s) => downgrade ? GsmLookalikes.Downgrade(s) : s;
            return new Compiled(
                Engine.Compile(Plain(t.ReplyLink)), Engine.Compile(t.ReplyLinkHtml),
                Engine.Compile(Plain(t.DownloadLink)), Engine.Compile(t.DownloadLinkHtml),
                Engine.Compile(Plain(t.NumberedDownloadLink)), Engine.Compile(t.NumberedDownloadLinkHtml));
        }, _options);
    }

    private static string Render(CompiledTemplate template, Uri link, int index, int count, RenderMode mode)
    {
        var values = template.CreateValues().Set(PatientLinkTextOptions.Link, link.AbsoluteUri);
        if (count > 1)
        {
            values.Set(PatientLinkTextOptions.Number, (index + 1).ToString(CultureInfo.InvariantCulture))
                .Set(PatientLinkTextOptions.Count, count.ToString(CultureInfo.InvariantCulture));
        }

        return template.Render(values, mode);
    }

    private static TemplateEngine CreateEngine()
    {
        var registry = new PlaceholderRegistry();
        registry.Register(PatientLinkTextOptions.Link, PlaceholderKind.Text, "The link.");
        registry.Register(PatientLinkTextOptions.Number, PlaceholderKind.Text, "Which attachment this is, from 1.");
        registry.Register(PatientLinkTextOptions.Count, PlaceholderKind.Text, "How many attachments the message carries.");
        return new TemplateEngine(registry);
    }

    private sealed record Compiled(
        CompiledTemplate Reply, CompiledTemplate ReplyHtml,
        CompiledTemplate Download, CompiledTemplate DownloadHtml,
        CompiledTemplate NumberedDownload, CompiledTemplate NumberedDownloadHtml);
}
