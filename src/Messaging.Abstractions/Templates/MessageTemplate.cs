using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using NodaTime;

namespace Messaging;

/// <summary>The SDK's id of a message template (R16).</summary>
/// <param name="Value">The underlying Guid.</param>
[JsonConverter(typeof(MessagingIdJsonConverter<TemplateId>))]
public readonly record struct TemplateId(Guid Value) : ISpanParsable<TemplateId>
{
    /// <summary>A new, unique, roughly time-ordered id.</summary>
    public static TemplateId New() => new(SequentialGuid.Next());

    /// <inheritdoc />
    public override string ToString() => Value.ToString("N");

    /// <summary>Reads the id from text, as <see cref="Parse(string, IFormatProvider?)"/> does.</summary>
    /// <param name="s">The text, e.g. a route value.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not a valid id; the message does not repeat it.</exception>
    public static TemplateId Parse(string s) => Parse(s, null);

    /// <summary>Reads a template id: 32 hexadecimal digits as <see cref="ToString"/> writes them, or the hyphenated 8-4-4-4-12 form.</summary>
    /// <param name="s">The text, e.g. a route value.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not in either form; the message does not repeat it.</exception>
    public static TemplateId Parse(string s, IFormatProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Parse(s.AsSpan(), provider);
    }

    /// <summary>Reads a template id from characters, as <see cref="Parse(string, IFormatProvider?)"/> does from a string.</summary>
    /// <param name="s">The characters.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <exception cref="FormatException">The characters are not a valid template id; the message does not repeat them.</exception>
    public static TemplateId Parse(ReadOnlySpan<char> s, IFormatProvider? provider)
        => TryParse(s, provider, out var id) ? id : throw IdText.NotAGuid("template id");

    /// <summary>Reads a template id (32 hexadecimal digits, or the hyphenated form); <see langword="false"/> instead of an exception when the text is neither.</summary>
    /// <param name="s">The text, e.g. a route value; <see langword="null"/> gives <see langword="false"/>.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <param name="result">The id, or <see langword="default"/> when the text is not one.</param>
    /// <returns>Whether the text is a valid template id.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out TemplateId result)
    {
        if (s is null)
        {
            result = default;
            return false;
        }

        return TryParse(s.AsSpan(), provider, out result);
    }

    /// <inheritdoc cref="TryParse(string?, IFormatProvider?, out TemplateId)" />
    public static bool TryParse([NotNullWhen(true)] string? s, out TemplateId result) => TryParse(s, null, out result);

    /// <inheritdoc cref="TryParse(string?, IFormatProvider?, out TemplateId)" />
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out TemplateId result)
    {
        var ok = IdText.TryParseGuid(s, out var value);
        result = new TemplateId(value);
        return ok;
    }
}

/// <summary>
/// A saved message template (R16): a name and a body with placeholders such as <c>{{patient.firstName}}</c>, owned by
/// the staff member who created it, in one workspace. Personal (its owner alone sees and uses it) or shared with the
/// workspace (every member sees and uses it; only possible in a team workspace).
/// </summary>
/// <remarks>
/// <para>
/// A template serves every channel: <see cref="Body"/> is the SMS text and the plain-text part of an email;
/// <see cref="HtmlBody"/>, when present, is the HTML part of an email, into which values are inserted HTML-encoded.
/// Both were checked against the placeholder registry when saved.
/// </para>
/// <para>
/// Names are unique, compared by <see cref="NameKey"/>: among the owner's personal templates in the workspace, and
/// among the workspace's shared templates. Template text is written by staff; values are never stored in it.
/// </para>
/// </remarks>
public sealed record MessageTemplate
{
    /// <summary>Its id.</summary>
    public required TemplateId Id { get; init; }

    /// <summary>The workspace it belongs to; it is listed and usable there only.</summary>
    public required WorkspaceId WorkspaceId { get; init; }

    /// <summary>The staff member who created it. Stays the owner when it is shared, or edited by an admin.</summary>
    public required StaffId Owner { get; init; }

    /// <summary>Its name, trimmed, 1–100 characters, e.g. "Biopsy results ready".</summary>
    public required string Name { get; init; }

    /// <summary>The SMS text and plain-text email body, with placeholders.</summary>
    public required string Body { get; init; }

    /// <summary>The HTML email body with placeholders, or <see langword="null"/> to send emails as plain text only.</summary>
    public string? HtmlBody { get; init; }

    /// <summary>Whether every member of the workspace sees and uses it; otherwise only <see cref="Owner"/> does.</summary>
    public bool IsShared { get; init; }

    /// <summary>
    /// The optimistic-concurrency version: 1 when created, one more after each edit, share or unshare. Edits and
    /// deletes name the version they read and fail with <see cref="MessagingErrorCodes.ConcurrencyConflict"/> if it moved.
    /// </summary>
    public required long Version { get; init; }

    /// <summary>When it was created.</summary>
    public required Instant CreatedAt { get; init; }

    /// <summary>When it last changed (edit, share or unshare).</summary>
    public required Instant UpdatedAt { get; init; }

    /// <summary>The staff member who last changed it (the owner, or a workspace admin).</summary>
    public required StaffId UpdatedBy { get; init; }

    /// <summary>
    /// The form of <see cref="Name"/> that uniqueness is decided on: <see cref="NormalizeName"/> of it. Two templates of
    /// the same set whose keys are equal (ordinal comparison) clash.
    /// </summary>
    public string NameKey => NormalizeName(Name);

    /// <summary>
    /// The uniqueness key of a template name: trimmed and upper-cased with the invariant culture, so "Results ready"
    /// and " results READY" clash. Stores that enforce uniqueness in the database key an index on this form.
    /// </summary>
    /// <param name="name">A template name.</param>
    /// <returns>The key to compare ordinally.</returns>
    public static string NormalizeName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToUpperInvariant();
    }
}

/// <summary>A template to create (R16).</summary>
public sealed record CreateTemplateRequest
{
    /// <summary>The workspace it belongs to; the actor must be a member.</summary>
    public required WorkspaceId WorkspaceId { get; init; }

    /// <summary>Its name, 1–100 characters; unique among the actor's personal templates, or the workspace's shared ones.</summary>
    public required string Name { get; init; }

    /// <summary>The SMS text and plain-text email body, with placeholders; checked when saved.</summary>
    public required string Body { get; init; }

    /// <summary>An HTML email body with placeholders, checked when saved; values are HTML-encoded into it.</summary>
    public string? HtmlBody { get; init; }

    /// <summary>Share it with the workspace at once (team workspaces only). The default value is <see langword="false"/>.</summary>
    public bool Shared { get; init; }
}

/// <summary>New content for a template (R16), applied only if it is still at <see cref="ExpectedVersion"/>.</summary>
public sealed record UpdateTemplateRequest
{
    /// <summary>The version the editor read; a template changed since is not overwritten.</summary>
    public required long ExpectedVersion { get; init; }

    /// <summary>The new name.</summary>
    public required string Name { get; init; }

    /// <summary>The new body.</summary>
    public required string Body { get; init; }

    /// <summary>The new HTML email body, or <see langword="null"/> to remove it.</summary>
    public string? HtmlBody { get; init; }
}

/// <summary>The templates a member may use in a workspace: their own personal ones and the workspace's shared ones.</summary>
/// <param name="Personal">The actor's personal templates, by name.</param>
/// <param name="Shared">The workspace's shared templates (the actor's own among them), by name.</param>
public sealed record TemplateList(IReadOnlyList<MessageTemplate> Personal, IReadOnlyList<MessageTemplate> Shared);

/// <summary>Managing message templates (R16).</summary>
/// <remarks>
/// <para>
/// Every method takes the acting staff member and refuses anyone who is not a member of the template's workspace
/// (<see cref="MessagingAuthorizationException"/>, <see cref="MessagingErrorCodes.NotAMember"/>); nothing changes then.
/// </para>
/// <para>
/// A personal template exists only for its owner: to anyone else it is <see cref="MessagingErrorCodes.TemplateNotFound"/>.
/// A shared one is visible to every member; only its owner or a workspace admin may edit, delete, share or unshare it
/// (<see cref="MessagingErrorCodes.NotTemplateOwner"/>). Sharing in an organisation's default workspace is refused with
/// <see cref="MessagingErrorCodes.TemplateSharingNotAllowed"/>. A name already used in the same set is
/// <see cref="MessagingErrorCodes.TemplateNameTaken"/>, checked again when the change is committed so two concurrent
/// saves cannot both take it. A placeholder error is a <c>TemplateParseException</c> (a <see cref="MessagingException"/>
/// with the line and column, and the field). Every change is audited (R19).
/// </para>
/// </remarks>
public interface ITemplateService
{
    /// <summary>Creates a personal template, or a shared one when <see cref="CreateTemplateRequest.Shared"/> is set.</summary>
    Task<MessageTemplate> CreateAsync(StaffId actor, CreateTemplateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Replaces a template's name and bodies (owner, or an admin for shared templates) if it is still at the expected version.</summary>
    Task<MessageTemplate> UpdateAsync(StaffId actor, TemplateId templateId, UpdateTemplateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes a template (owner, or an admin for shared templates) if it is still at <paramref name="expectedVersion"/>.</summary>
    Task DeleteAsync(StaffId actor, TemplateId templateId, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>A template the actor may see: their own, or one shared in a workspace they are a member of.</summary>
    Task<MessageTemplate> GetAsync(StaffId actor, TemplateId templateId, CancellationToken cancellationToken = default);

    /// <summary>The actor's personal templates and the workspace's shared ones, each ordered by name.</summary>
    Task<TemplateList> ListAsync(StaffId actor, WorkspaceId workspaceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Shares a template with its workspace (owner or admin; team workspaces only). Sharing a shared template at the
    /// expected version returns it unchanged.
    /// </summary>
    Task<MessageTemplate> ShareAsync(StaffId actor, TemplateId templateId, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes a shared template personal to its owner again (owner or admin). Unsharing a personal template at the
    /// expected version returns it unchanged.
    /// </summary>
    Task<MessageTemplate> UnshareAsync(StaffId actor, TemplateId templateId, long expectedVersion, CancellationToken cancellationToken = default);
}
