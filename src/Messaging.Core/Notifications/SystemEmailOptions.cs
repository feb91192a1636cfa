using Messaging.Templates;
using Microsoft.Extensions.Options;

namespace Messaging;

/// <summary>
/// One of the emails the SDK sends by itself: a subject, a plain-text body and an optional HTML body, each a template
/// in the SDK's placeholder language (<c>{{workspace.name}}</c>, optional sections <c>{{#link}}…{{/link}}</c>).
/// </summary>
/// <remarks>
/// These emails go to people who have not proved who they are yet (a staff inbox may be shared, a patient's mailbox
/// read by others), so they may use only <see cref="SystemEmailOptions.AllowedPlaceholders"/>: no patient data and no
/// message content can be put into them, whatever the host writes.
/// </remarks>
/// <param name="Subject">The subject line.</param>
/// <param name="Text">The plain-text body.</param>
/// <param name="Html">The HTML body (values are HTML-encoded), or <see langword="null"/> for plain text only.</param>
public sealed record SystemEmailTemplate(string Subject, string Text, string? Html = null);

/// <summary>
/// The emails the SDK sends by itself (R9, R17, R18) — none of which carries patient data or message content. Override
/// any of them to match the host's voice; they are checked at start-up.
/// </summary>
public sealed class SystemEmailOptions
{
    /// <summary>The configuration section the host conventionally binds these options from.</summary>
    public const string SectionName = "Messaging:SystemEmails";

    /// <summary>The name of the organisation (e.g. "Riverside NHS Trust").</summary>
    public const string OrganisationName = "organisation.name";

    /// <summary>The name of the workspace (e.g. "Dermatology").</summary>
    public const string WorkspaceName = "workspace.name";

    /// <summary>The name of the person the email goes to, when the SDK knows it (staff only).</summary>
    public const string RecipientName = "recipient.name";

    /// <summary>The link the email exists to carry: the host's staff app, or a Direct Message's unlock page.</summary>
    public const string Link = "link";

    /// <summary>The only placeholders system emails may use.</summary>
    public static IReadOnlyList<string> AllowedPlaceholders { get; } = [OrganisationName, WorkspaceName, RecipientName, Link];

    /// <summary>
    /// Where staff notifications point: the host's staff app, e.g. <c>https://ehr.example.nhs.uk/inbox</c>. Optional;
    /// without it notification emails say to sign in without a link.
    /// </summary>
    public Uri? StaffAppUrl { get; set; }

    /// <summary>Tells the assignee (or each member of the assigned team) that a patient replied (R9).</summary>
    public SystemEmailTemplate PatientReplyNotification { get; set; } = new(
        "New patient reply in {{workspace.name}}",
        "Hello {{recipient.name}},\n\nA patient has replied to a message from {{workspace.name}}. For the patient's privacy this email does not contain the reply.\n\n{{#link}}Sign in to read it: {{link}}{{/link}}{{^link}}Sign in to your messaging inbox to read it.{{/link}}\n",
        "<p>Hello {{recipient.name}},</p><p>A patient has replied to a message from {{workspace.name}}. For the patient's privacy this email does not contain the reply.</p><p>{{#link}}<a href=\"{{link}}\">Sign in to read it</a>{{/link}}{{^link}}Sign in to your messaging inbox to read it.{{/link}}</p>");

    /// <summary>Tells a staff member that a colleague sent them an internal message (R17).</summary>
    public SystemEmailTemplate InternalMessageNotification { get; set; } = new(
        "You have a secure message",
        "Hello {{recipient.name}},\n\nA colleague in {{workspace.name}} has sent you a secure message. It can only be read in the application.\n\n{{#link}}Sign in to read it: {{link}}{{/link}}{{^link}}Sign in to read it.{{/link}}\n",
        "<p>Hello {{recipient.name}},</p><p>A colleague in {{workspace.name}} has sent you a secure message. It can only be read in the application.</p><p>{{#link}}<a href=\"{{link}}\">Sign in to read it</a>{{/link}}{{^link}}Sign in to read it.{{/link}}</p>");

    /// <summary>Carries a Direct Message's link to the patient; the access code goes by SMS (R18).</summary>
    public SystemEmailTemplate DirectMessageLink { get; set; } = new(
        "{{organisation.name}} has sent you a secure message",
        "{{organisation.name}} has sent you a secure message.\n\nOpen it here: {{link}}\n\nYou will need the access code we have sent to your mobile phone by text message.\n",
        "<p>{{organisation.name}} has sent you a secure message.</p><p><a href=\"{{link}}\">Open your secure message</a></p><p>You will need the access code we have sent to your mobile phone by text message.</p>");
}

/// <summary>Checks at start-up that every system email compiles and uses only the allowed placeholders.</summary>
internal sealed class SystemEmailOptionsValidator : IValidateOptions<SystemEmailOptions>
{
    public ValidateOptionsResult Validate(string? name, SystemEmailOptions options)
    {
        var failures = new List<string>();
        if (options.StaffAppUrl is { IsAbsoluteUri: false } relative)
        {
            failures.Add($"{SystemEmailOptions.SectionName}:StaffAppUrl must be an absolute URL; '{relative}' is relative.");
        }

        Check(nameof(SystemEmailOptions.PatientReplyNotification), options.PatientReplyNotification, failures);
        Check(nameof(SystemEmailOptions.InternalMessageNotification), options.InternalMessageNotification, failures);
        Check(nameof(SystemEmailOptions.DirectMessageLink), options.DirectMessageLink, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(string property, SystemEmailTemplate? template, List<string> failures)
    {
        var setting = $"{SystemEmailOptions.SectionName}:{property}";
        if (template is null)
        {
            failures.Add($"{setting} is required.");
            return;
        }

        CheckTemplate(setting, template, failures, requireLink: false);
    }

    /// <summary>Checks one system email at <paramref name="setting"/>; with <paramref name="requireLink"/> its text must carry <c>{{link}}</c>.</summary>
    internal static void CheckTemplate(string setting, SystemEmailTemplate template, List<string> failures, bool requireLink)
    {
        Check($"{setting}:Subject", template.Subject, required: true, failures);
        Check($"{setting}:Text", template.Text, required: true, failures);
        Check($"{setting}:Html", template.Html, required: false, failures);
        if (requireLink && !string.IsNullOrWhiteSpace(template.Text) && !CarriesLink(template.Text))
        {
            failures.Add($"{setting}:Text must contain {{{{link}}}}: the email exists to carry it.");
        }
    }

    private static bool CarriesLink(string text)
    {
        try
        {
            return Notifications.SystemEmails.Engine.Compile(text).Placeholders
                .Any(p => p.Name.Equals(SystemEmailOptions.Link, StringComparison.OrdinalIgnoreCase));
        }
        catch (TemplateParseException)
        {
            return true; // reported as not a valid template already
        }
    }

    private static void Check(string setting, string? text, bool required, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                failures.Add($"{setting} is required.");
            }

            return;
        }

        try
        {
            var compiled = Notifications.SystemEmails.Engine.Compile(text);
            foreach (var placeholder in compiled.Placeholders)
            {
                if (!SystemEmailOptions.AllowedPlaceholders.Contains(placeholder.Name, StringComparer.OrdinalIgnoreCase))
                {
                    failures.Add($"{setting} uses {{{{{placeholder.Name}}}}}, which system emails may not carry: they may use only {string.Join(", ", SystemEmailOptions.AllowedPlaceholders.Select(p => "{{" + p + "}}"))}.");
                }
            }
        }
        catch (TemplateParseException e)
        {
            failures.Add($"{setting} is not a valid template: {e.Message}");
        }
    }
}
