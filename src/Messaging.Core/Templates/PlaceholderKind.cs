namespace Messaging.Templates;

/// <summary>
/// What kind of value a placeholder holds. The kind decides which format specifier a template may give it, which is
/// checked when the template is saved, and which <see cref="TemplateValues"/> setter fills it.
/// </summary>
public enum PlaceholderKind
{
    /// <summary>Plain text (names, places). Inserted as is; takes no format.</summary>
    Text = 0,

    /// <summary>
    /// A calendar date (NodaTime <see cref="NodaTime.LocalDate"/>), e.g. a date of birth. The format is a NodaTime
    /// <see cref="NodaTime.Text.LocalDatePattern"/> such as <c>d MMMM yyyy</c>; without one it renders as
    /// <c>4 March 2025</c>.
    /// </summary>
    Date = 1,

    /// <summary>
    /// A point in time: an <see cref="NodaTime.Instant"/> (shown in the render call's time zone, the workspace's), a
    /// <see cref="NodaTime.ZonedDateTime"/> (shown in its own zone) or a <see cref="NodaTime.LocalDateTime"/> (shown
    /// as given). The format is a NodaTime <see cref="NodaTime.Text.LocalDateTimePattern"/> such as
    /// <c>dddd d MMMM 'at' HH:mm</c>; without one it renders as <c>4 March 2025 14:30</c>.
    /// </summary>
    DateTime = 2,

    /// <summary>
    /// A number (stored as <see cref="decimal"/>). The format is a .NET numeric format string such as <c>N0</c> or
    /// <c>0.00</c>, applied with the invariant culture; without one it renders in the shortest form (<c>12.5</c>).
    /// </summary>
    Number = 3,
}
