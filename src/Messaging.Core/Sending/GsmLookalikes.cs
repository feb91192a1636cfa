using System.Text;

namespace Messaging.Sending;

/// <summary>
/// The GSM-7 "downgrade" GOV.UK Notify applies before sending an SMS: characters that look like GSM-7 ones but are not
/// in the alphabet (curly quotes, en and em dashes, the ellipsis, non-breaking and zero-width spaces, tabs) are replaced by
/// their GSM-7 look-alikes, so one of them no longer turns the whole message into UCS-2 (70 characters a part instead of
/// 160). Anything else is left as it is: Welsh letters with a circumflex, emoji and other scripts still go as UCS-2.
/// </summary>
internal static class GsmLookalikes
{
    /// <summary>Replaces the look-alikes; returns the same instance when there is none (the usual case).</summary>
    public static string Downgrade(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = text.AsSpan().IndexOfAny(Lookalikes);
        if (first < 0)
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        result.Append(text.AsSpan(0, first));
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\u2018' or '\u2019' or '\u201A' or '\u201B' or '\u2032': result.Append('\''); break; // ‘ ’ ‚ ‛ ′
                case '\u201C' or '\u201D' or '\u201E' or '\u201F' or '\u2033': result.Append('"'); break; // “ ” „ ‟ ″
                case '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212': result.Append('-'); break; // hyphens, dashes, minus
                case '\u2026': result.Append("..."); break; // …
                case '\u00A0' or '\u2007' or '\u202F' or '\t': result.Append(' '); break; // non-breaking spaces, tab
                case '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u180E': break; // zero-width: dropped
                default: result.Append(c); break;
            }
        }

        return result.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> Lookalikes = System.Buffers.SearchValues.Create(
        "\u2018\u2019\u201A\u201B\u2032\u201C\u201D\u201E\u201F\u2033\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2026\u00A0\u2007\u202F\t\u200B\u200C\u200D\u2060\uFEFF\u180E");
}
