namespace Messaging;

/// <summary>The character set an SMS is sent in.</summary>
public enum SmsEncoding
{
    /// <summary>The GSM 03.38 7-bit alphabet: 160 characters in one part, 153 per part when split.</summary>
    Gsm7 = 0,

    /// <summary>UCS-2 (UTF-16), used as soon as one character is outside GSM-7: 70 in one part, 67 per part.</summary>
    Ucs2 = 1,
}

/// <summary>What a text costs as SMS.</summary>
/// <param name="Encoding">GSM-7 or UCS-2.</param>
/// <param name="Segments">How many parts it is sent in (0 for empty text).</param>
/// <param name="Units">Septets for GSM-7 (extension characters count two), UTF-16 code units for UCS-2.</param>
/// <param name="RemainingInLastSegment">How many more units fit before another part is needed.</param>
public readonly record struct SmsSegmentInfo(SmsEncoding Encoding, int Segments, int Units, int RemainingInLastSegment)
{
    /// <summary>The SMS credits it costs: one per segment (R15).</summary>
    public int Credits => Segments;
}

/// <summary>
/// Counts SMS segments exactly as carriers split messages (R15), so hosts can show "this message will use N credits"
/// before sending and the SDK charges the same. Allocation-free and thread-safe.
/// </summary>
/// <remarks>
/// GSM-7: 160 septets in one part, 153 per part when split; the extension characters <c>€ [ ] { } ^ ~ | \</c> and form
/// feed cost two septets (escape + character) and an escape pair never straddles two parts. Any character outside
/// GSM-7 makes the whole message UCS-2: 70 code units in one part, 67 per part, and a surrogate pair (an emoji) is
/// never split across parts.
/// </remarks>
public static class SmsSegmentCalculator
{
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private const string Extension = "\f^{}\\[~]|€";

    // Septets per UTF-16 code unit: 1 basic, 2 extension, 0 outside GSM-7. 64 KiB, built once.
    private static readonly byte[] Septets = BuildTable();

    /// <summary>Counts the segments of a text.</summary>
    /// <param name="text">The text as it will be sent.</param>
    public static SmsSegmentInfo Calculate(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return new SmsSegmentInfo(SmsEncoding.Gsm7, 0, 0, 160);
        }

        var septets = 0;
        foreach (var c in text)
        {
            var cost = Septets[c];
            if (cost == 0)
            {
                return Ucs2(text);
            }

            septets += cost;
        }

        if (septets <= 160)
        {
            return new SmsSegmentInfo(SmsEncoding.Gsm7, 1, septets, 160 - septets);
        }

        int parts = 1, used = 0;
        foreach (var c in text)
        {
            int cost = Septets[c];
            if (used + cost > 153)
            {
                parts++;
                used = 0;
            }

            used += cost;
        }

        return new SmsSegmentInfo(SmsEncoding.Gsm7, parts, septets, 153 - used);
    }

    private static SmsSegmentInfo Ucs2(ReadOnlySpan<char> text)
    {
        if (text.Length <= 70)
        {
            return new SmsSegmentInfo(SmsEncoding.Ucs2, 1, text.Length, 70 - text.Length);
        }

        int parts = 1, used = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var cost = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            if (used + cost > 67)
            {
                parts++;
                used = 0;
            }

            used += cost;
            i += cost - 1;
        }

        return new SmsSegmentInfo(SmsEncoding.Ucs2, parts, text.Length, 67 - used);
    }

    private static byte[] BuildTable()
    {
        var table = new byte[char.MaxValue + 1];
        foreach (var c in Basic)
        {
            table[c] = 1;
        }

        foreach (var c in Extension)
        {
            table[c] = 2;
        }

        return table;
    }
}
