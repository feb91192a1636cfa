using Messaging.Templates;
using Microsoft.Extensions.Options;

namespace Messaging.Notifications;

/// <summary>Renders the SDK's own emails (<see cref="SystemEmailOptions"/>) from the host's templates.</summary>
internal sealed class SystemEmails(IOptions<SystemEmailOptions> options)
{
    /// <summary>
    /// The engine system emails compile with: the built-in registry plus <c>recipient.name</c> and <c>link</c>. Which
    /// placeholders a system email may actually use is narrowed further by <see cref="SystemEmailOptionsValidator"/>.
    /// </summary>
    internal static TemplateEngine Engine { get; } = CreateEngine();

    public SystemEmailOptions Options => options.Value;

    /// <summary>Renders an email. Throws <see cref="TemplateParseException"/>/<see cref="MessagingException"/> if the template needs a value not given.</summary>
    public EmailSendRequest Compose(
        SystemEmailTemplate template, EmailAddress to, string idempotencyKey, string? organisationName, string? workspaceName, string? recipientName, Uri? link)
    {
        var values = Engine.CreateValues()
            .Set(SystemEmailOptions.OrganisationName, organisationName)
            .Set(SystemEmailOptions.WorkspaceName, workspaceName)
            .Set(SystemEmailOptions.RecipientName, recipientName)
            .Set(SystemEmailOptions.Link, link?.AbsoluteUri);

        // A subject is one line, whatever the values hold.
        var subject = Engine.Render(template.Subject, values).ReplaceLineEndings(" ").Trim();
        var text = Engine.Render(template.Text, values);
        var html = template.Html is null ? null : Engine.Render(template.Html, values, RenderMode.Html);
        return new EmailSendRequest(to, subject, text, idempotencyKey) { ToName = recipientName, HtmlBody = html };
    }

    private static TemplateEngine CreateEngine()
    {
        var registry = new PlaceholderRegistry();
        registry.Register(SystemEmailOptions.RecipientName, PlaceholderKind.Text, "The name of the person the email goes to (staff only).");
        registry.Register(SystemEmailOptions.Link, PlaceholderKind.Text, "The link the email carries.");
        return new TemplateEngine(registry);
    }
}
