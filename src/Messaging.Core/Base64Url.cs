namespace Messaging;

/// <summary>URL-safe base64 without padding (RFC 4648 §5), for tokens and page cursors that travel in URLs.</summary>
internal static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Decodes into <paramref name="destination"/>; false for anything that is not URL-safe base64 of at most its size.</summary>
    public static bool TryDecode(string text, Span<byte> destination, out int written)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - (base64.Length % 4)) % 4);
        return Convert.TryFromBase64String(base64, destination, out written);
    }
}
