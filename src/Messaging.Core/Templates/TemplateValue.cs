using System.Runtime.InteropServices;
using NodaTime;

namespace Messaging.Templates;

/// <summary>Which member of a <see cref="TemplateValue"/> holds the value.</summary>
internal enum TemplateValueTag : byte
{
    None = 0,
    Text,
    Date,
    Instant,
    ZonedDateTime,
    LocalDateTime,
    Number,
}

/// <summary>
/// One typed value without boxing, with the registry slot it fills: a tag, one reference (the text, or the zone of a
/// <see cref="ZonedDateTime"/>) and the unmanaged NodaTime/decimal payload overlaid in 16 bytes, so a value costs
/// 32 bytes whatever its kind.
/// </summary>
internal readonly struct TemplateValue
{
    private readonly object? _reference;
    private readonly Scalar _scalar;

    private TemplateValue(TemplateValueTag tag, object? reference, Scalar scalar, int slot = -1)
    {
        Tag = tag;
        _reference = reference;
        _scalar = scalar;
        Slot = slot;
    }

    public TemplateValueTag Tag { get; }

    /// <summary>The <see cref="PlaceholderDefinition.Slot"/> this value fills, once stored.</summary>
    public int Slot { get; }

    /// <summary>Whether the value counts as supplied: set, and for text not empty or white space.</summary>
    public bool IsPresent => Tag != TemplateValueTag.None;

    public string Text => (string)_reference!;

    public LocalDate Date => _scalar.Date;

    public Instant Instant => _scalar.Instant;

    public LocalDateTime LocalDateTime => _scalar.LocalDateTime;

    public decimal Number => _scalar.Number;

    public DateTimeZone Zone => (DateTimeZone)_reference!;

    /// <summary>White-space-only text is treated as absent: it would send a half-filled message.</summary>
    public static TemplateValue FromText(string? text)
        => string.IsNullOrWhiteSpace(text) ? default : new(TemplateValueTag.Text, text, default);

    public static TemplateValue FromDate(LocalDate value) => new(TemplateValueTag.Date, null, new Scalar { Date = value });

    public static TemplateValue FromInstant(Instant value) => new(TemplateValueTag.Instant, null, new Scalar { Instant = value });

    public static TemplateValue FromLocalDateTime(LocalDateTime value)
        => new(TemplateValueTag.LocalDateTime, null, new Scalar { LocalDateTime = value });

    public static TemplateValue FromZonedDateTime(ZonedDateTime value)
        => new(TemplateValueTag.ZonedDateTime, value.Zone, new Scalar { Instant = value.ToInstant() });

    public static TemplateValue FromNumber(decimal value) => new(TemplateValueTag.Number, null, new Scalar { Number = value });

    public TemplateValue ForSlot(int slot) => new(Tag, _reference, _scalar, slot);

    /// <summary>The payloads share storage: only the member named by the tag is meaningful.</summary>
    [StructLayout(LayoutKind.Explicit)]
    private struct Scalar
    {
        [FieldOffset(0)]
        public LocalDate Date;

        [FieldOffset(0)]
        public Instant Instant;

        [FieldOffset(0)]
        public LocalDateTime LocalDateTime;

        [FieldOffset(0)]
        public decimal Number;
    }
}
