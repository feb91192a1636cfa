using System.Globalization;
using NodaTime.Text;

namespace Messaging.Templates;

/// <summary>
/// Turns template text into a <see cref="CompiledTemplate"/>, or reports the first error with its position.
/// </summary>
/// <remarks>
/// Errors about a whole tag (unclosed tag, unclosed or mismatched section) point at the tag's <c>{{</c>; errors
/// about a part of it (an unknown or malformed name, a bad format) point at that part.
/// </remarks>
internal static class TemplateParser
{
    private const int MaxOpenSections = 32;

    public static CompiledTemplate Parse(string text, PlaceholderRegistry registry)
    {
        var segments = new List<TemplateSegment>();
        var placeholders = new List<PlaceholderDefinition>();
        var open = new Stack<int>();
        var literalStart = 0;
        var position = 0;
        var literalLength = 0;

        while (true)
        {
            var tagStart = text.IndexOf("{{", position, StringComparison.Ordinal);
            if (tagStart < 0)
            {
                break;
            }

            if (tagStart > 0 && text[tagStart - 1] == '\\')
            {
                // \{{ is a literal {{: drop the backslash, keep the braces as text and scan on after them.
                AddLiteral(segments, literalStart, tagStart - 1 - literalStart, ref literalLength);
                literalStart = tagStart;
                position = tagStart + 2;
                continue;
            }

            AddLiteral(segments, literalStart, tagStart - literalStart, ref literalLength);
            var tagEnd = text.IndexOf("}}", tagStart + 2, StringComparison.Ordinal);
            var nested = text.IndexOf("{{", tagStart + 2, StringComparison.Ordinal);
            if (tagEnd < 0 || (nested >= 0 && nested < tagEnd))
            {
                throw Error(text, TemplateErrorCodes.UnclosedTag, tagStart, null, "The tag opened with '{{' is never closed with '}}'.");
            }

            ParseTag(text, tagStart, tagEnd, registry, segments, placeholders, open);
            position = literalStart = tagEnd + 2;
        }

        AddLiteral(segments, literalStart, text.Length - literalStart, ref literalLength);

        if (open.Count > 0)
        {
            var unclosed = segments[open.Peek()];
            var name = unclosed.Placeholder!.Name;
            throw Error(text, TemplateErrorCodes.UnclosedSection, unclosed.Start, name, $"The section '{name}' is never closed with '{{{{/{name}}}}}'.");
        }

        return new CompiledTemplate(text, registry, [.. segments], [.. placeholders], literalLength);
    }

    /// <summary>1-based line and column of an offset; a line ends at '\n'.</summary>
    public static (int Line, int Column) LineAndColumn(string text, int offset)
    {
        var before = text.AsSpan(0, offset);
        var line = before.Count('\n') + 1;
        var column = offset - (before.LastIndexOf('\n') + 1) + 1;
        return (line, column);
    }

    private static void ParseTag(
        string text,
        int tagStart,
        int tagEnd,
        PlaceholderRegistry registry,
        List<TemplateSegment> segments,
        List<PlaceholderDefinition> placeholders,
        Stack<int> open)
    {
        var cursor = SkipWhiteSpace(text, tagStart + 2, tagEnd);
        var sigil = cursor < tagEnd ? text[cursor] : '\0';
        if (sigil is '#' or '^' or '/')
        {
            cursor = SkipWhiteSpace(text, cursor + 1, tagEnd);
        }

        var colon = text.IndexOf(':', cursor, tagEnd - cursor);
        var nameEnd = colon < 0 ? tagEnd : colon;
        var name = text.AsSpan(cursor, nameEnd - cursor).TrimEnd();
        if (name.IsEmpty)
        {
            throw Error(text, TemplateErrorCodes.InvalidTag, tagStart, null, "The tag names no placeholder; write e.g. '{{patient.firstName}}'.");
        }

        var nameText = name.ToString();
        if (!PlaceholderNames.IsValid(name))
        {
            throw Error(
                text,
                TemplateErrorCodes.InvalidTag,
                cursor,
                nameText,
                $"'{nameText}' is not a placeholder name: use a dotted name such as 'patient.firstName' (letters, digits and underscores).");
        }

        if (!registry.TryGet(nameText, out var placeholder))
        {
            throw Error(text, TemplateErrorCodes.UnknownPlaceholder, cursor, nameText, $"Unknown placeholder '{nameText}'.");
        }

        string? format = null;
        var formatStart = -1;
        if (colon >= 0)
        {
            formatStart = SkipWhiteSpace(text, colon + 1, tagEnd);
            format = text.AsSpan(formatStart, tagEnd - formatStart).TrimEnd().ToString();
            if (format.Length == 0)
            {
                throw Error(text, TemplateErrorCodes.InvalidFormat, colon, nameText, $"The format after '{nameText}:' is empty; remove the ':' or give a format.");
            }
        }

        switch (sigil)
        {
            case '#' or '^':
                if (format is not null)
                {
                    throw Error(text, TemplateErrorCodes.InvalidFormat, formatStart, nameText, $"The section '{nameText}' takes no format.");
                }

                if (open.Count == MaxOpenSections)
                {
                    throw Error(text, TemplateErrorCodes.InvalidTag, tagStart, nameText, $"Sections are nested more than {MaxOpenSections} deep.");
                }

                open.Push(segments.Count);
                segments.Add(TemplateSegment.Section(sigil == '#' ? SegmentKind.IfPresent : SegmentKind.IfAbsent, tagStart, placeholder));
                AddDistinct(placeholders, placeholder);
                break;

            case '/':
                if (format is not null)
                {
                    throw Error(text, TemplateErrorCodes.InvalidFormat, formatStart, nameText, $"The end of section '{nameText}' takes no format.");
                }

                if (open.Count == 0)
                {
                    throw Error(text, TemplateErrorCodes.MismatchedSection, tagStart, nameText, $"'{{{{/{nameText}}}}}' closes a section that was never opened.");
                }

                var opening = segments[open.Peek()];
                if (!ReferenceEquals(opening.Placeholder, placeholder))
                {
                    var (line, column) = LineAndColumn(text, opening.Start);
                    throw Error(
                        text,
                        TemplateErrorCodes.MismatchedSection,
                        tagStart,
                        nameText,
                        $"'{{{{/{nameText}}}}}' does not close the innermost open section, '{opening.Placeholder!.Name}' (opened at line {line}, column {column}).");
                }

                var index = open.Pop();
                segments[index] = opening.WithJumpTo(segments.Count);
                break;

            default:
                var (resolved, mayNeedEncoding) = ResolveFormat(text, placeholder, format, formatStart);
                segments.Add(TemplateSegment.Value(cursor, placeholder, resolved, mayNeedEncoding));
                AddDistinct(placeholders, placeholder);
                break;
        }
    }

    private static (object? Format, bool MayNeedEncoding) ResolveFormat(string text, PlaceholderDefinition placeholder, string? format, int formatStart)
    {
        if (format is null)
        {
            return (null, false);
        }

        try
        {
            object resolved = placeholder.Kind switch
            {
                PlaceholderKind.Date => LocalDatePattern.Create(format, TemplateFormatting.Culture),
                PlaceholderKind.DateTime => LocalDateTimePattern.Create(format, TemplateFormatting.Culture),
                PlaceholderKind.Number => CheckNumberFormat(format),
                _ => throw Error(
                    text,
                    TemplateErrorCodes.InvalidFormat,
                    formatStart,
                    placeholder.Name,
                    $"The placeholder '{placeholder.Name}' is text and takes no format; formats apply to dates, date-times and numbers."),
            };
            return (resolved, TemplateFormatting.MayNeedEncoding(format));
        }
        catch (InvalidPatternException ex)
        {
            var kind = placeholder.Kind == PlaceholderKind.Date ? "date" : "date-time";
            throw Error(
                text,
                TemplateErrorCodes.InvalidFormat,
                formatStart,
                placeholder.Name,
                $"'{format}' is not a valid {kind} pattern for '{placeholder.Name}': {ex.Message}");
        }
        catch (FormatException)
        {
            throw Error(
                text,
                TemplateErrorCodes.InvalidFormat,
                formatStart,
                placeholder.Name,
                $"'{format}' is not a valid number format for '{placeholder.Name}'; use e.g. 'N0', '0.00' or 'C'.");
        }
    }

    private static string CheckNumberFormat(string format)
    {
        Span<char> probe = stackalloc char[128];
        _ = (-1234.5m).TryFormat(probe, out _, format, TemplateFormatting.Culture);
        return format;
    }

    private static void AddLiteral(List<TemplateSegment> segments, int start, int length, ref int literalLength)
    {
        if (length > 0)
        {
            segments.Add(TemplateSegment.Literal(start, length));
            literalLength += length;
        }
    }

    private static void AddDistinct(List<PlaceholderDefinition> placeholders, PlaceholderDefinition placeholder)
    {
        if (!placeholders.Contains(placeholder))
        {
            placeholders.Add(placeholder);
        }
    }

    private static int SkipWhiteSpace(string text, int from, int end)
    {
        while (from < end && char.IsWhiteSpace(text[from]))
        {
            from++;
        }

        return from;
    }

    private static TemplateParseException Error(string text, string code, int offset, string? placeholder, string what)
    {
        var (line, column) = LineAndColumn(text, offset);
        return new TemplateParseException(
            code,
            string.Create(CultureInfo.InvariantCulture, $"Template error at line {line}, column {column}: {what}"),
            offset,
            line,
            column,
            placeholder);
    }
}
