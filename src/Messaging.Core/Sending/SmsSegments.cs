namespace Messaging.Sending;

/// <summary>
/// The number of SMS segments (and so credits, R15) a body costs. GSM-7: 160 septets in one part, 153 per part
/// when split, extension characters cost two septets and never straddle parts; anything outside GSM-7 makes the
/// whole message UCS-2: 70 code units in one part, 67 per part, surrogate pairs never split.
/// </summary>
internal static class SmsSegments
{
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private const string Extension = "\f^{}\\[~]|€";

    public static int Count(string body)
    {
        if (body.Length == 0)
        {
            return 0;
        }

        foreach (var c in body)
        {
            if (!Basic.Contains(c, StringComparison.Ordinal) && !Extension.Contains(c, StringComparison.Ordinal))
            {
                return CountUcs2(body);
            }
        }

        return CountGsm(body);
    }

    private static int CountGsm(string body)
    {
        var total = 0;
        foreach (var c in body)
        {
            total += Extension.Contains(c, StringComparison.Ordinal) ? 2 : 1;
        }

        if (total <= 160)
        {
            return 1;
        }

        int parts = 1, used = 0;
        foreach (var c in body)
        {
            var cost = Extension.Contains(c, StringComparison.Ordinal) ? 2 : 1;
            if (used + cost > 153)
            {
                parts++;
                used = 0;
            }

            used += cost;
        }

        return parts;
    }

    private static int CountUcs2(string body)
    {
        if (body.Length <= 70)
        {
            return 1;
        }

        int parts = 1, used = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var cost = char.IsHighSurrogate(body[i]) && i + 1 < body.Length && char.IsLowSurrogate(body[i + 1]) ? 2 : 1;
            if (used + cost > 67)
            {
                parts++;
                used = 0;
            }

            used += cost;
            i += cost - 1;
        }

        return parts;
    }
}
