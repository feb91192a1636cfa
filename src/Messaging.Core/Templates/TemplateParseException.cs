namespace Messaging.Templates;

/// <summary>
/// A template's text is not valid (R16): raised when a template is compiled, which is when it is saved, so staff
/// can correct it before it is used for any patient.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="MessagingException.ErrorCode"/> is one of the <see cref="TemplateErrorCodes"/>. <see cref="Line"/> and
/// <see cref="Column"/> are 1-based and count UTF-16 characters (a line ends at <c>\n</c>; a <c>\r</c> before it is
/// part of the line), <see cref="Offset"/> is 0-based, so an editor can put the cursor on the error.
/// </para>
/// <para>
/// This type derives from <see cref="MessagingException"/> rather than from <see cref="MessagingValidationException"/>
/// because the latter is sealed; hosts that map validation errors to a 400 response should catch this type too.
/// The message quotes placeholder names (template text is written by staff, not patient data) but never any value.
/// </para>
/// </remarks>
public sealed class TemplateParseException : MessagingException
{
    /// <summary>Creates a parse error at a position in the template text.</summary>
    /// <param name="errorCode">One of the <see cref="TemplateErrorCodes"/>.</param>
    /// <param name="message">What is wrong and where, for the person editing the template.</param>
    /// <param name="offset">The 0-based character offset of the error.</param>
    /// <param name="line">The 1-based line of the error.</param>
    /// <param name="column">The 1-based column of the error.</param>
    /// <param name="placeholder">The placeholder name involved, when there is one.</param>
    public TemplateParseException(string errorCode, string message, int offset, int line, int column, string? placeholder = null)
        : base(errorCode, message)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(line, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(column, 1);
        Offset = offset;
        Line = line;
        Column = column;
        Placeholder = placeholder;
    }

    /// <summary>The 0-based character offset of the error in the template text.</summary>
    public int Offset { get; }

    /// <summary>The 1-based line of the error.</summary>
    public int Line { get; }

    /// <summary>The 1-based column of the error, in UTF-16 characters.</summary>
    public int Column { get; }

    /// <summary>The placeholder name involved (as written in the template), or <see langword="null"/>.</summary>
    public string? Placeholder { get; }

    /// <summary>
    /// Which field of a saved template holds the error (<c>body</c> or <c>htmlBody</c>), or <see langword="null"/> when the
    /// text was not a saved template's.
    /// </summary>
    public string? Field { get; private init; }

    /// <summary>The same error, said to be in <paramref name="field"/> of a template being saved.</summary>
    internal TemplateParseException InField(string field)
        => new(ErrorCode, $"{field}: {Message}", Offset, Line, Column, Placeholder) { Field = field };
}
