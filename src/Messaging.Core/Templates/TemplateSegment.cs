using NodaTime.Text;

namespace Messaging.Templates;

/// <summary>What a <see cref="TemplateSegment"/> does when rendered.</summary>
internal enum SegmentKind : byte
{
    /// <summary>Copies a slice of the template text.</summary>
    Literal = 0,

    /// <summary>Writes a placeholder's value; fails the render when it is absent.</summary>
    Value,

    /// <summary><c>{{#name}}</c>: continues into the section when the value is present, else jumps past its end.</summary>
    IfPresent,

    /// <summary><c>{{^name}}</c>: continues into the section when the value is absent, else jumps past its end.</summary>
    IfAbsent,
}

/// <summary>
/// One step of a compiled template. Sections have no end segment: their start holds the index to jump to, so a
/// render is a single forward walk over a flat array.
/// </summary>
internal readonly struct TemplateSegment
{
    private TemplateSegment(
        SegmentKind kind,
        int start,
        int length,
        PlaceholderDefinition? placeholder,
        object? format,
        bool formatMayNeedEncoding,
        int jumpTo)
    {
        Kind = kind;
        Start = start;
        Length = length;
        Placeholder = placeholder;
        Format = format;
        FormatMayNeedEncoding = formatMayNeedEncoding;
        JumpTo = jumpTo;
    }

    public SegmentKind Kind { get; }

    /// <summary>For a literal, where its text starts; otherwise the offset of the tag, for error messages.</summary>
    public int Start { get; }

    /// <summary>For a literal, its length.</summary>
    public int Length { get; }

    public PlaceholderDefinition? Placeholder { get; }

    /// <summary>
    /// A <see cref="LocalDatePattern"/> (Date), a <see cref="LocalDateTimePattern"/> (DateTime) or a numeric format
    /// string (Number), resolved at compile time; <see langword="null"/> for text and for the default format.
    /// </summary>
    public object? Format { get; }

    /// <summary>Whether the format's literal text holds a character HTML must encode (rare; checked at compile time).</summary>
    public bool FormatMayNeedEncoding { get; }

    /// <summary>For a section start, the index of the first segment after the section.</summary>
    public int JumpTo { get; }

    public int Slot => Placeholder!.Slot;

    public static TemplateSegment Literal(int start, int length) => new(SegmentKind.Literal, start, length, null, null, false, 0);

    public static TemplateSegment Value(int offset, PlaceholderDefinition placeholder, object? format, bool formatMayNeedEncoding)
        => new(SegmentKind.Value, offset, 0, placeholder, format, formatMayNeedEncoding, 0);

    public static TemplateSegment Section(SegmentKind kind, int offset, PlaceholderDefinition placeholder)
        => new(kind, offset, 0, placeholder, null, false, -1);

    public TemplateSegment WithJumpTo(int jumpTo) => new(Kind, Start, Length, Placeholder, Format, FormatMayNeedEncoding, jumpTo);
}
