using Messaging.Templates;
using Microsoft.Extensions.Options;

namespace Messaging;

/// <summary>
/// The SDK's own words around the links a patient message carries (R11, R12), in one language. Each is a template in
/// the SDK's placeholder language with <c>{{link}}</c> (and, for the numbered download, <c>{{number}}</c> and
/// <c>{{count}}</c>); nothing else can be put into them. The plain-text forms go into SMS and plain-text email, the HTML
/// forms into HTML email. Every character here is paid for in every SMS, so the defaults put the link on its own line
/// after the shortest label that stays clear.
/// </summary>
public sealed class PatientLinkTexts
{
    /// <summary>The reply link (R12), e.g. <c>"Reply once:\n{{link}}"</c>.</summary>
    public string ReplyLink { get; set; } = "Reply once:\n{{link}}";

    /// <summary>The reply link in an HTML email, e.g. <c>&lt;a href="{{link}}"&gt;Reply securely (once)&lt;/a&gt;</c>.</summary>
    public string ReplyLinkHtml { get; set; } = "<a href=\"{{link}}\">Reply securely (once)</a>";

    /// <summary>The download link of a message's only attachment (R11).</summary>
    public string DownloadLink { get; set; } = "Your document:\n{{link}}";

    /// <summary>The download link of a message's only attachment in an HTML email.</summary>
    public string DownloadLinkHtml { get; set; } = "<a href=\"{{link}}\">Download your document</a>";

    /// <summary>A download link when a message has several attachments: <c>{{number}}</c> of <c>{{count}}</c>.</summary>
    public string NumberedDownloadLink { get; set; } = "Document {{number}} of {{count}}:\n{{link}}";

    /// <summary>A download link when a message has several attachments, in an HTML email.</summary>
    public string NumberedDownloadLinkHtml { get; set; } = "<a href=\"{{link}}\">Download document {{number}} of {{count}}</a>";

    /// <summary>
    /// The access-code SMS of a Direct Message (R18), which introduces the code: the code follows it after a space when
    /// the SMS goes to the provider (it is never stored). It may use only <c>{{organisation.name}}</c>, and never carries
    /// the link, the subject or any content.
    /// </summary>
    public string DirectMessageAccessCode { get; set; } = "{{organisation.name}}: the access code for the secure message we emailed you is";

    /// <summary>
    /// The email that carries a Direct Message's link in this language, or <see langword="null"/> (the English default)
    /// for <see cref="SystemEmailOptions.DirectMessageLink"/>. Same rules as every system email: only
    /// <see cref="SystemEmailOptions.AllowedPlaceholders"/>, and the text must carry <c>{{link}}</c>.
    /// </summary>
    public SystemEmailTemplate? DirectMessageEmail { get; set; }

    /// <summary>The Welsh wording shipped with the SDK (<see cref="PatientLinkTextOptions.Welsh"/>).</summary>
    /// <returns>A new instance the caller may change.</returns>
    public static PatientLinkTexts CreateWelsh() => new()
    {
        ReplyLink = "Atebwch unwaith:\n{{link}}",
        ReplyLinkHtml = "<a href=\"{{link}}\">Atebwch yn ddiogel (unwaith)</a>",
        DownloadLink = "Eich dogfen:\n{{link}}",
        DownloadLinkHtml = "<a href=\"{{link}}\">Lawrlwythwch eich dogfen</a>",
        NumberedDownloadLink = "Dogfen {{number}} o {{count}}:\n{{link}}",
        NumberedDownloadLinkHtml = "<a href=\"{{link}}\">Lawrlwythwch ddogfen {{number}} o {{count}}</a>",
        DirectMessageAccessCode = "{{organisation.name}}: y cod mynediad ar gyfer y neges ddiogel a anfonwyd atoch drwy e-bost yw",
        DirectMessageEmail = new(
            "Mae {{organisation.name}} wedi anfon neges ddiogel atoch",
            "Mae {{organisation.name}} wedi anfon neges ddiogel atoch.\n\nAgorwch hi yma: {{link}}\n\nBydd angen y cod mynediad a anfonwyd at eich ffôn symudol mewn neges destun.\n",
            "<p>Mae {{organisation.name}} wedi anfon neges ddiogel atoch.</p><p><a href=\"{{link}}\">Agorwch eich neges ddiogel</a></p><p>Bydd angen y cod mynediad a anfonwyd at eich ffôn symudol mewn neges destun.</p>"),
    };
}

/// <summary>How far the GSM-7 look-alike downgrade reaches in SMS (curly quotes, dashes, ellipsis, non-breaking spaces).</summary>
public enum SmsCharacterDowngrade
{
    /// <summary>Every character is sent as written.</summary>
    Off = 0,

    /// <summary>The SDK's own text (link wording) is downgraded; staff text is sent as written. The default.</summary>
    SdkText = 1,

    /// <summary>Staff text is downgraded too, as GOV.UK Notify does: the stored message and the preview show the downgraded text.</summary>
    SdkAndStaffText = 2,
}

/// <summary>
/// The wording of the links in patient SMS and email, per language, and the GSM-7 look-alike downgrade. English
/// (<see cref="English"/>) and Welsh (<see cref="Welsh"/>) are shipped; override either or add a language in
/// <see cref="Languages"/>. A workspace's messages use <see cref="WorkspaceLanguages"/>, else <see cref="Language"/>.
/// Bound from <c>Messaging:PatientLinks</c> and checked at start-up.
/// </summary>
public sealed class PatientLinkTextOptions
{
    /// <summary>The configuration section the host conventionally binds these options from.</summary>
    public const string SectionName = "Messaging:PatientLinks";

    /// <summary>English, the default language.</summary>
    public const string English = "en";

    /// <summary>Welsh (Cymraeg).</summary>
    public const string Welsh = "cy";

    /// <summary>The placeholders the link wording may use.</summary>
    public static IReadOnlyList<string> AllowedPlaceholders { get; } = [Link, Number, Count];

    internal const string Link = "link";
    internal const string Number = "number";
    internal const string Count = "count";

    /// <summary>The language of every workspace not listed in <see cref="WorkspaceLanguages"/>; a key of <see cref="Languages"/>.</summary>
    public string Language { get; set; } = English;

    /// <summary>A workspace's language by workspace id, e.g. <c>{ "dermatology-cardiff": "cy" }</c>; each a key of <see cref="Languages"/>.</summary>
    public IDictionary<string, string> WorkspaceLanguages { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The wording per language (a BCP 47 tag such as <c>en</c> or <c>cy</c>); English and Welsh are there already.</summary>
    public IDictionary<string, PatientLinkTexts> Languages { get; } = new Dictionary<string, PatientLinkTexts>(StringComparer.OrdinalIgnoreCase)
    {
        [English] = new PatientLinkTexts(),
        [Welsh] = PatientLinkTexts.CreateWelsh(),
    };

    /// <summary>Which SMS text gets the GSM-7 look-alike downgrade; <see cref="SmsCharacterDowngrade.SdkText"/> by default.</summary>
    public SmsCharacterDowngrade Gsm7Downgrade { get; set; } = SmsCharacterDowngrade.SdkText;
}

/// <summary>Checks at start-up that every language named exists and every wording compiles, carries its link and uses nothing else.</summary>
internal sealed class PatientLinkTextOptionsValidator : IValidateOptions<PatientLinkTextOptions>
{
    public ValidateOptionsResult Validate(string? name, PatientLinkTextOptions options)
    {
        var failures = new List<string>();
        const string Section = PatientLinkTextOptions.SectionName;
        if (!Enum.IsDefined(options.Gsm7Downgrade))
        {
            failures.Add($"{Section}:Gsm7Downgrade must be Off, SdkText or SdkAndStaffText.");
        }

        if (string.IsNullOrWhiteSpace(options.Language) || !options.Languages.ContainsKey(options.Language))
        {
            failures.Add($"{Section}:Language '{options.Language}' has no wording in {Section}:Languages (known: {string.Join(", ", options.Languages.Keys)}).");
        }

        foreach (var (workspace, language) in options.WorkspaceLanguages)
        {
            if (string.IsNullOrWhiteSpace(language) || !options.Languages.ContainsKey(language))
            {
                failures.Add($"{Section}:WorkspaceLanguages:{workspace} '{language}' has no wording in {Section}:Languages (known: {string.Join(", ", options.Languages.Keys)}).");
            }
        }

        foreach (var (language, texts) in options.Languages)
        {
            var setting = $"{Section}:Languages:{language}";
            if (texts is null)
            {
                failures.Add($"{setting} is required.");
                continue;
            }

            Check($"{setting}:{nameof(PatientLinkTexts.ReplyLink)}", texts.ReplyLink, numbered: false, failures);
            Check($"{setting}:{nameof(PatientLinkTexts.ReplyLinkHtml)}", texts.ReplyLinkHtml, numbered: false, failures);
            Check($"{setting}:{nameof(PatientLinkTexts.DownloadLink)}", texts.DownloadLink, numbered: false, failures);
            Check($"{setting}:{nameof(PatientLinkTexts.DownloadLinkHtml)}", texts.DownloadLinkHtml, numbered: false, failures);
            Check($"{setting}:{nameof(PatientLinkTexts.NumberedDownloadLink)}", texts.NumberedDownloadLink, numbered: true, failures);
            Check($"{setting}:{nameof(PatientLinkTexts.NumberedDownloadLinkHtml)}", texts.NumberedDownloadLinkHtml, numbered: true, failures);
            CheckAccessCode($"{setting}:{nameof(PatientLinkTexts.DirectMessageAccessCode)}", texts.DirectMessageAccessCode, failures);
            if (texts.DirectMessageEmail is { } email)
            {
                SystemEmailOptionsValidator.CheckTemplate($"{setting}:{nameof(PatientLinkTexts.DirectMessageEmail)}", email, failures, requireLink: true);
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckAccessCode(string setting, string? text, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            failures.Add($"{setting} is required.");
            return;
        }

        try
        {
            foreach (var placeholder in Notifications.SystemEmails.Engine.Compile(text).Placeholders)
            {
                if (!placeholder.Name.Equals(SystemEmailOptions.OrganisationName, StringComparison.OrdinalIgnoreCase))
                {
                    failures.Add($"{setting} uses {{{{{placeholder.Name}}}}}; the access-code SMS may use only {{{{{SystemEmailOptions.OrganisationName}}}}}.");
                }
            }
        }
        catch (TemplateParseException e)
        {
            failures.Add($"{setting} is not a valid template: {e.Message}");
        }
    }

    private static void Check(string setting, string? text, bool numbered, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            failures.Add($"{setting} is required.");
            return;
        }

        try
        {
            var compiled = Sending.PatientLinkWording.Engine.Compile(text);
            var allowed = numbered ? PatientLinkTextOptions.AllowedPlaceholders : [PatientLinkTextOptions.Link];
            foreach (var placeholder in compiled.Placeholders)
            {
                if (!allowed.Contains(placeholder.Name, StringComparer.OrdinalIgnoreCase))
                {
                    failures.Add($"{setting} uses {{{{{placeholder.Name}}}}}; it may use only {string.Join(", ", allowed.Select(p => "{{" + p + "}}"))}.");
                }
            }

            if (!compiled.Placeholders.Any(p => p.Name.Equals(PatientLinkTextOptions.Link, StringComparison.OrdinalIgnoreCase)))
            {
                failures.Add($"{setting} must contain {{{{link}}}}: it is the link's wording.");
            }
        }
        catch (TemplateParseException e)
        {
            failures.Add($"{setting} is not a valid template: {e.Message}");
        }
    }
}
