namespace Messaging.Templates;

/// <summary>
/// The stable error codes of the template engine (R16), carried by <see cref="MessagingException.ErrorCode"/> of a <see cref="TemplateParseException"/>
/// when a template is saved or compiled, and by a <see cref="MessagingValidationException"/> when a value
/// is missing at render time. Codes never change meaning once published; new codes may be added.
/// </summary>
public static class TemplateErrorCodes
{
    /// <summary>
    /// A tag names a placeholder that is not registered (neither built in nor registered by the host), e.g. a typo
    /// such as <c>{{patient.fristName}}</c>.
    /// </summary>
    public const string UnknownPlaceholder = "template.unknown_placeholder";

    /// <summary>A <c>{{</c> has no matching <c>}}</c> before the end of the template.</summary>
    public const string UnclosedTag = "template.unclosed_tag";

    /// <summary>
    /// A tag is empty or malformed: the name is not a dotted identifier such as <c>patient.firstName</c>
    /// (letters, digits and underscores, each part starting with a letter or underscore).
    /// </summary>
    public const string InvalidTag = "template.invalid_tag";

    /// <summary>An optional section (<c>{{#name}}</c> or <c>{{^name}}</c>) is never closed with <c>{{/name}}</c>.</summary>
    public const string UnclosedSection = "template.unclosed_section";

    /// <summary>A <c>{{/name}}</c> closes a section that is not the innermost open one, or none is open.</summary>
    public const string MismatchedSection = "template.mismatched_section";

    /// <summary>
    /// A format specifier is not allowed or not valid: a format on a text placeholder or a section, a NodaTime
    /// pattern that does not parse or does not fit the value kind (a time pattern on a date), or a numeric format
    /// string that .NET rejects.
    /// </summary>
    public const string InvalidFormat = "template.invalid_format";

    /// <summary>
    /// Rendering needed a value that was not supplied (or was empty), so the message would have been sent
    /// half-filled; nothing was rendered. The exception's <see cref="MessagingValidationException.Field"/> names
    /// the first such placeholder.
    /// </summary>
    public const string ValueMissing = "template.value_missing";
}
