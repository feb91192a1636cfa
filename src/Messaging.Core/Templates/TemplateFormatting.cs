using System.Buffers;
using System.Globalization;
using System.Text;
using NodaTime.Text;

namespace Messaging.Templates;

/// <summary>
/// The culture and default patterns values are formatted with, and the HTML encoder.
/// </summary>
/// <remarks>
/// The culture is built from the invariant culture with UK conventions (day-month order, 24-hour clock, £), not
/// read from the operating system: output is the same on every server, including hosts running with invariant
/// globalization, and a standard pattern such as <c>d</c> never turns into a US date in a patient's SMS.
/// Month and day names are English.
/// </remarks>
internal static class TemplateFormatting
{
    public static readonly CultureInfo Culture = CreateCulture();

    public static readonly LocalDatePattern DefaultDatePattern = LocalDatePattern.Create("d MMMM yyyy", Culture);

    public static readonly LocalDateTimePattern DefaultDateTimePattern = LocalDateTimePattern.Create("d MMMM yyyy HH:mm", Culture);

    private static readonly SearchValues<char> HtmlSpecial = SearchValues.Create("&<>\"'");

    /// <summary>
    /// Whether text produced from this format string may contain a character HTML must encode. Digits and the
    /// culture's month and day names never do, so such a character can only come from the pattern's own literal text.
    /// </summary>
    public static bool MayNeedEncoding(string format) => format.AsSpan().IndexOfAny(HtmlSpecial) >= 0;

    public static void AppendHtmlEncoded(StringBuilder builder, ReadOnlySpan<char> text)
    {
        while (true)
        {
            var next = text.IndexOfAny(HtmlSpecial);
            if (next < 0)
            {
                builder.Append(text);
                return;
            }

            builder.Append(text[..next]);
            builder.Append(text[next] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                _ => "&#39;",
            });
            text = text[(next + 1)..];
        }
    }

    private static CultureInfo CreateCulture()
    {
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        var dates = culture.DateTimeFormat;
        dates.ShortDatePattern = "dd/MM/yyyy";
        dates.LongDatePattern = "dddd d MMMM yyyy";
        dates.ShortTimePattern = "HH:mm";
        dates.LongTimePattern = "HH:mm:ss";
        dates.FullDateTimePattern = "dddd d MMMM yyyy HH:mm:ss";
        dates.MonthDayPattern = "d MMMM";
        dates.YearMonthPattern = "MMMM yyyy";
        dates.AMDesignator = "am";
        dates.PMDesignator = "pm";
        var numbers = culture.NumberFormat;
        numbers.CurrencySymbol = "£";
        numbers.CurrencyNegativePattern = 1;
        return CultureInfo.ReadOnly(culture);
    }
}
