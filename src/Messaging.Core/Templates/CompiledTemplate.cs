using System.Globalization;
using System.Text;
using NodaTime;
using NodaTime.Text;

namespace Messaging.Templates;

/// <summary>
/// A parsed, checked template, ready to render many times (R16). Obtain one from <see cref="TemplateEngine.Compile"/>,
/// which caches it by text.
/// </summary>
/// <remarks>
/// <para>
/// Immutable and thread-safe: any number of threads may render it at once. Formats were resolved when it was compiled
/// (NodaTime patterns are parsed once), so a render is one forward walk over a flat array of segments that writes
/// into a per-thread reusable buffer; the only allocation of a successful render is the result string.
/// </para>
/// <para>
/// A placeholder outside any optional section is required: when its value is absent the render fails with
/// <see cref="TemplateErrorCodes.ValueMissing"/> naming every missing placeholder, instead of producing a
/// half-filled message. Inside <c>{{#name}}…{{/name}}</c> placeholders are required only when <c>name</c> has a value.
/// </para>
/// </remarks>
internal sealed class CompiledTemplate
{
    private const int MaxCachedBuilderCapacity = 16 * 1024;

    private static readonly DateTimeZone DefaultZone = DateTimeZoneProviders.Tzdb["Europe/London"];

    [ThreadStatic]
    private static StringBuilder? _cachedBuilder;

    private readonly TemplateSegment[] _segments;
    private readonly PlaceholderRegistry _registry;
    private readonly int _estimatedLength;

    internal CompiledTemplate(string text, PlaceholderRegistry registry, TemplateSegment[] segments, PlaceholderDefinition[] placeholders, int literalLength)
    {
        Text = text;
        _registry = registry;
        _segments = segments;
        Placeholders = Array.AsReadOnly(placeholders);
        _estimatedLength = literalLength + (16 * placeholders.Length);
    }

    /// <summary>The template text it was compiled from.</summary>
    public string Text { get; }

    /// <summary>
    /// The placeholders the template uses (in values or as sections), each once, in order of first use: what the host
    /// must be able to supply, and what a template editor can list.
    /// </summary>
    public IReadOnlyList<PlaceholderDefinition> Placeholders { get; }

    /// <summary>Renders the template with the given values.</summary>
    /// <param name="values">The values, from the same registry as the engine that compiled this template.</param>
    /// <param name="mode">
    /// <see cref="RenderMode.Text"/> for SMS and plain text (values inserted as is); <see cref="RenderMode.Html"/> for
    /// HTML email bodies (values HTML-encoded, template text unchanged).
    /// </param>
    /// <param name="timeZone">
    /// The zone <see cref="Instant"/> values are shown in: the workspace's. <see langword="null"/> means Europe/London.
    /// </param>
    /// <returns>The rendered text. For SMS, count its segments and credits from this string.</returns>
    /// <exception cref="MessagingValidationException">
    /// A required value is absent (code <see cref="TemplateErrorCodes.ValueMissing"/>; <c>Field</c> names the first).
    /// </exception>
    /// <exception cref="ArgumentException">The values belong to another placeholder registry.</exception>
    public string Render(TemplateValues values, RenderMode mode = RenderMode.Text, DateTimeZone? timeZone = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!ReferenceEquals(values.Registry, _registry))
        {
            throw new ArgumentException("The values were created for another placeholder registry than the engine that compiled this template.", nameof(values));
        }

        if (mode is not (RenderMode.Text or RenderMode.Html))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown render mode.");
        }

        var builder = _cachedBuilder ?? new StringBuilder(256);
        _cachedBuilder = null;
        try
        {
            builder.EnsureCapacity(_estimatedLength);
            RenderInto(builder, values, mode == RenderMode.Html, timeZone ?? DefaultZone);
            return builder.ToString();
        }
        finally
        {
            if (builder.Capacity <= MaxCachedBuilderCapacity)
            {
                builder.Clear();
                _cachedBuilder = builder;
            }
        }
    }

    /// <summary>
    /// Creates an empty set of values with room for exactly the placeholders this template uses (it grows if more are
    /// set), to fill once per message.
    /// </summary>
    /// <returns>A new, empty <see cref="TemplateValues"/> for this template's registry.</returns>
    public TemplateValues CreateValues() => new(_registry, Placeholders.Count);

    /// <summary>The template text: never a value.</summary>
    /// <returns>The template text.</returns>
    public override string ToString() => Text;

    private void RenderInto(StringBuilder builder, TemplateValues values, bool html, DateTimeZone zone)
    {
        var segments = _segments;
        var i = 0;
        while (i < segments.Length)
        {
            ref readonly var segment = ref segments[i];
            switch (segment.Kind)
            {
                case SegmentKind.Literal:
                    builder.Append(Text, segment.Start, segment.Length);
                    i++;
                    break;

                case SegmentKind.Value:
                    ref readonly var value = ref values.Get(segment.Slot);
                    if (!value.IsPresent)
                    {
                        throw MissingValues(values);
                    }

                    AppendValue(builder, in segment, in value, html, zone);
                    i++;
                    break;

                case SegmentKind.IfPresent:
                    i = values.Get(segment.Slot).IsPresent ? i + 1 : segment.JumpTo;
                    break;

                default:
                    i = values.Get(segment.Slot).IsPresent ? segment.JumpTo : i + 1;
                    break;
            }
        }
    }

    private static void AppendValue(StringBuilder builder, in TemplateSegment segment, in TemplateValue value, bool html, DateTimeZone zone)
    {
        switch (value.Tag)
        {
            case TemplateValueTag.Text:
                if (html)
                {
                    TemplateFormatting.AppendHtmlEncoded(builder, value.Text);
                }
                else
                {
                    builder.Append(value.Text);
                }

                return;

            case TemplateValueTag.Date:
                var datePattern = (LocalDatePattern?)segment.Format ?? TemplateFormatting.DefaultDatePattern;
                if (html && segment.FormatMayNeedEncoding)
                {
                    TemplateFormatting.AppendHtmlEncoded(builder, datePattern.Format(value.Date));
                }
                else
                {
                    datePattern.AppendFormat(value.Date, builder);
                }

                return;

            case TemplateValueTag.Number:
                AppendNumber(builder, value.Number, (string?)segment.Format, html);
                return;

            default:
                var local = value.Tag switch
                {
                    TemplateValueTag.Instant => value.Instant.InZone(zone).LocalDateTime,
                    TemplateValueTag.ZonedDateTime => value.Instant.InZone(value.Zone).LocalDateTime,
                    _ => value.LocalDateTime,
                };
                var dateTimePattern = (LocalDateTimePattern?)segment.Format ?? TemplateFormatting.DefaultDateTimePattern;
                if (html && segment.FormatMayNeedEncoding)
                {
                    TemplateFormatting.AppendHtmlEncoded(builder, dateTimePattern.Format(local));
                }
                else
                {
                    dateTimePattern.AppendFormat(local, builder);
                }

                return;
        }
    }

    private static void AppendNumber(StringBuilder builder, decimal number, string? format, bool html)
    {
        Span<char> buffer = stackalloc char[64];
        ReadOnlySpan<char> text = number.TryFormat(buffer, out var written, format, TemplateFormatting.Culture)
            ? buffer[..written]
            : number.ToString(format, TemplateFormatting.Culture);
        if (html)
        {
            TemplateFormatting.AppendHtmlEncoded(builder, text);
        }
        else
        {
            builder.Append(text);
        }
    }

    /// <summary>Walks the template again, as a render would, collecting every absent required value (error path only).</summary>
    private MessagingValidationException MissingValues(TemplateValues values)
    {
        var missing = new List<(PlaceholderDefinition Placeholder, int Offset)>();
        var i = 0;
        while (i < _segments.Length)
        {
            var segment = _segments[i];
            var present = segment.Kind != SegmentKind.Literal && values.Get(segment.Slot).IsPresent;
            switch (segment.Kind)
            {
                case SegmentKind.Value when !present && !missing.Exists(m => ReferenceEquals(m.Placeholder, segment.Placeholder)):
                    missing.Add((segment.Placeholder!, segment.Start));
                    i++;
                    break;
                case SegmentKind.IfPresent:
                    i = present ? i + 1 : segment.JumpTo;
                    break;
                case SegmentKind.IfAbsent:
                    i = present ? segment.JumpTo : i + 1;
                    break;
                default:
                    i++;
                    break;
            }
        }

        var list = string.Join(", ", missing.Select(m =>
        {
            var (line, column) = TemplateParser.LineAndColumn(Text, m.Offset);
            return string.Create(CultureInfo.InvariantCulture, $"'{m.Placeholder.Name}' (line {line}, column {column})");
        }));
        var message = missing.Count == 1
            ? $"The template needs a value for {list}, but none was supplied; nothing was rendered."
            : $"The template needs values for {list}, but none were supplied; nothing was rendered.";
        return new MessagingValidationException(TemplateErrorCodes.ValueMissing, message, missing[0].Placeholder.Name);
    }
}
