using NodaTime;

namespace Messaging.Templates;

/// <summary>
/// The message template language (R16): <c>{{patient.firstName}}</c>, <c>{{appointment.date:d MMMM yyyy}}</c>,
/// optional sections, checked when saved, compiled once and rendered many times.
/// </summary>
/// <remarks>
/// <para><b>Syntax</b></para>
/// <list type="bullet">
/// <item><c>{{name}}</c> inserts a value; <c>{{name:format}}</c> formats it: a NodaTime pattern for dates and
/// date-times (<c>dddd d MMMM yyyy</c>, <c>HH:mm</c>), a .NET numeric format for numbers (<c>N0</c>). Patterns use UK
/// English conventions (standard <c>d</c> is <c>dd/MM/yyyy</c>, <c>t</c> is <c>HH:mm</c>). Text takes no format.</item>
/// <item><c>{{#name}}…{{/name}}</c> is kept only when <c>name</c> has a value, <c>{{^name}}…{{/name}}</c> only when it
/// has none; sections nest.</item>
/// <item><c>\{{</c> writes a literal <c>{{</c> (the backslash is dropped); a backslash anywhere else, and <c>}}</c>
/// outside a tag, are ordinary text.</item>
/// <item>Names are dotted identifiers matched ignoring case; white space inside the braces is ignored
/// (<c>{{ patient.firstName }}</c>). A format runs to the closing <c>}}</c> and is trimmed.</item>
/// </list>
/// <para>
/// <see cref="Compile"/> checks every tag against the <see cref="Placeholders"/> and throws a
/// <see cref="TemplateParseException"/> with line and column for the first error; call it when a template is saved.
/// Compiled templates are cached by text (least recently used first out); because the registry is append-only a
/// cached template never goes stale.
/// </para>
/// <para>Thread-safe; register one per application (a singleton).</para>
/// </remarks>
internal sealed class TemplateEngine
{
    /// <summary>How many compiled templates are kept by default.</summary>
    public const int DefaultCacheCapacity = 512;

    private readonly TemplateCache _cache;

    /// <summary>Creates an engine with the built-in placeholders only and the default cache size.</summary>
    public TemplateEngine()
        : this(new PlaceholderRegistry())
    {
    }

    /// <summary>Creates an engine over a registry of placeholders.</summary>
    /// <param name="placeholders">The built-in and host placeholders templates may use; more may be registered later.</param>
    /// <param name="cacheCapacity">How many compiled templates to keep; 0 turns the cache off.</param>
    public TemplateEngine(PlaceholderRegistry placeholders, int cacheCapacity = DefaultCacheCapacity)
    {
        ArgumentNullException.ThrowIfNull(placeholders);
        ArgumentOutOfRangeException.ThrowIfNegative(cacheCapacity);
        Placeholders = placeholders;
        _cache = new TemplateCache(cacheCapacity);
    }

    /// <summary>The placeholders templates may use. Register the host's own here (or through DI, at start-up).</summary>
    public PlaceholderRegistry Placeholders { get; }

    /// <summary>How many compiled templates the cache holds now.</summary>
    internal int CachedCount => _cache.Count;

    /// <summary>Parses and checks a template, or returns the cached compiled form of the same text.</summary>
    /// <param name="template">The template text. Empty is valid and renders as empty.</param>
    /// <returns>The compiled template; the same instance for the same text while it stays cached.</returns>
    /// <exception cref="TemplateParseException">
    /// The text is not a valid template: an unknown placeholder, an unclosed tag or section, a mismatched section end,
    /// or a format that does not fit the placeholder. The exception carries the line and column.
    /// </exception>
    public CompiledTemplate Compile(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return _cache.TryGet(template, out var cached)
            ? cached!
            : _cache.GetOrAdd(TemplateParser.Parse(template, Placeholders));
    }

    /// <summary>Creates an empty set of values for this engine's placeholders, to fill once per message.</summary>
    /// <returns>A new, empty <see cref="TemplateValues"/>.</returns>
    public TemplateValues CreateValues() => new(Placeholders);

    /// <summary>Compiles (or finds in the cache) and renders a template in one call.</summary>
    /// <param name="template">The template text.</param>
    /// <param name="values">The values, from <see cref="CreateValues"/>.</param>
    /// <param name="mode">Text for SMS and plain text, Html for HTML email bodies (values encoded).</param>
    /// <param name="timeZone">The workspace's time zone for instants; <see langword="null"/> means Europe/London.</param>
    /// <returns>The rendered text.</returns>
    /// <exception cref="TemplateParseException">The template is not valid.</exception>
    /// <exception cref="MessagingValidationException">A required value is missing (<see cref="TemplateErrorCodes.ValueMissing"/>).</exception>
    public string Render(string template, TemplateValues values, RenderMode mode = RenderMode.Text, DateTimeZone? timeZone = null)
        => Compile(template).Render(values, mode, timeZone);
}
