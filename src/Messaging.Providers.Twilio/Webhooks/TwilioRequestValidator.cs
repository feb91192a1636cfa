using System.Security.Cryptography;
using System.Text;

namespace Messaging.Providers.Twilio.Webhooks;

/// <summary>
/// Checks the <c>X-Twilio-Signature</c> header of a webhook (status callback or inbound SMS), so a forged request —
/// anyone can post to a public URL — is refused before it can mark a message delivered or opt a patient out.
/// </summary>
/// <remarks>
/// <para>The algorithm is Twilio's: take the full URL Twilio requested (scheme, host, port if any, path and query,
/// exactly as configured in Twilio), append each POST parameter's name and value sorted by name (ordinal; a name sent
/// several times contributes each distinct value, sorted), HMAC-SHA1 the UTF-8 bytes with the account's auth token,
/// and Base64 the digest. For JSON bodies Twilio signs only the URL, which carries the hex SHA-256 of the body in a
/// <c>bodySHA256</c> query parameter; the body must then hash to it.</para>
/// <para>Ports: as Twilio's own helper libraries do, the signature is accepted for the URL without its port and for
/// the URL with it (the scheme's default, 443 or 80, when the URL names none), because Twilio's signing is not
/// consistent about it. The URL is otherwise used exactly as given: scheme and host case, user info and percent-escapes
/// all count, so pass the URL Twilio was configured with (behind a proxy, the public URL, not the one Kestrel sees).</para>
/// <para>Comparisons are constant-time. A missing, empty or malformed signature is invalid. Thread-safe.</para>
/// </remarks>
public sealed class TwilioRequestValidator
{
    /// <summary>The header Twilio signs webhooks with.</summary>
    public const string SignatureHeader = "X-Twilio-Signature";

    /// <summary>The query parameter that carries the hex SHA-256 of a JSON body.</summary>
    public const string BodyHashParameter = "bodySHA256";

    private readonly byte[] _key;

    /// <summary>Creates a validator for one Twilio account.</summary>
    /// <param name="authToken">The account's auth token (webhooks are signed with it even when the REST API is used with an API key).</param>
    /// <exception cref="ArgumentException">The token is null or empty.</exception>
    public TwilioRequestValidator(string authToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(authToken);
        _key = Encoding.UTF8.GetBytes(authToken);
    }

    /// <summary>Whether a form-encoded webhook (or a GET, with no form parameters) carries Twilio's signature.</summary>
    /// <param name="url">The full URL Twilio requested, with its query string, exactly as configured in Twilio.</param>
    /// <param name="formParameters">Every POST parameter received (not only the ones the SDK reads: Twilio adds parameters without notice). A name may repeat.</param>
    /// <param name="signature">The value of the <c>X-Twilio-Signature</c> header, or <see langword="null"/> when absent.</param>
    /// <returns><see langword="true"/> only when the signature matches the URL (with or without its port) and the parameters.</returns>
    public bool IsValid(string url, IEnumerable<KeyValuePair<string, string>> formParameters, string? signature)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        ArgumentNullException.ThrowIfNull(formParameters);
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }

        var parameters = Canonical(formParameters);
        var (withoutPort, withPort) = PortVariants(url);
        var validWithout = Matches(Sign(withoutPort, parameters), signature);
        var validWith = Matches(Sign(withPort, parameters), signature);
        return validWithout | validWith;
    }

    /// <inheritdoc cref="IsValid(string, IEnumerable{KeyValuePair{string, string}}, string?)"/>
    /// <remarks>Uses <see cref="Uri.OriginalString"/>, so the URL's case and escapes are kept as given.</remarks>
    public bool IsValid(Uri url, IEnumerable<KeyValuePair<string, string>> formParameters, string? signature)
    {
        ArgumentNullException.ThrowIfNull(url);
        return IsValid(url.OriginalString, formParameters, signature);
    }

    /// <summary>
    /// Whether a webhook with a JSON (or any non-form) body carries Twilio's signature: the URL, which must include the
    /// <c>bodySHA256</c> query parameter, is signed, and the body hashes to that parameter.
    /// </summary>
    /// <param name="url">The full URL Twilio requested, including <c>bodySHA256</c>.</param>
    /// <param name="body">The raw request body, byte for byte as received.</param>
    /// <param name="signature">The value of the <c>X-Twilio-Signature</c> header, or <see langword="null"/> when absent.</param>
    /// <returns><see langword="false"/> when the URL has no <c>bodySHA256</c>, the body does not hash to it, or the signature is wrong.</returns>
    public bool IsValidWithBody(string url, ReadOnlySpan<byte> body, string? signature)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        if (string.IsNullOrEmpty(signature) || BodyHashFrom(url) is not { } expectedHash)
        {
            return false;
        }

        var urlValid = IsValid(url, [], signature);
        var bodyValid = Matches(ComputeBodyHash(body), expectedHash);
        return urlValid & bodyValid;
    }

    /// <summary>Whether a webhook with a JSON body carries Twilio's signature; the body is hashed as UTF-8.</summary>
    /// <inheritdoc cref="IsValidWithBody(string, ReadOnlySpan{byte}, string?)"/>
    public bool IsValidWithBody(string url, string body, string? signature)
    {
        ArgumentNullException.ThrowIfNull(body);
        return IsValidWithBody(url, Encoding.UTF8.GetBytes(body), signature);
    }

    /// <summary>
    /// The signature Twilio would send for this URL (used as given, no port variant) and parameters: for tests that
    /// post signed requests to the host's own webhook endpoints.
    /// </summary>
    /// <param name="url">The full URL.</param>
    /// <param name="formParameters">The POST parameters (none for a GET or a JSON body).</param>
    public string ComputeSignature(string url, IEnumerable<KeyValuePair<string, string>> formParameters)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        ArgumentNullException.ThrowIfNull(formParameters);
        return Sign(url, Canonical(formParameters));
    }

    /// <summary>The lower-case hex SHA-256 of a body, as Twilio puts it in <c>bodySHA256</c>.</summary>
    /// <param name="body">The raw body.</param>
    public static string ComputeBodyHash(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, hash);
        return Convert.ToHexString(hash).ToLowerInvariant();
    }

    private string Sign(string url, List<KeyValuePair<string, string>> parameters)
    {
        var data = new StringBuilder(url, url.Length + (parameters.Count * 24));
        foreach (var (name, value) in parameters)
        {
            data.Append(name).Append(value);
        }

        return Convert.ToBase64String(HMACSHA1.HashData(_key, Encoding.UTF8.GetBytes(data.ToString())));
    }

    /// <summary>Sorted by name (ordinal), each name's distinct values sorted (ordinal): what Twilio's libraries sign.</summary>
    private static List<KeyValuePair<string, string>> Canonical(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var list = new List<KeyValuePair<string, string>>(parameters is ICollection<KeyValuePair<string, string>> c ? c.Count : 8);
        foreach (var (name, value) in parameters)
        {
            list.Add(new(name ?? string.Empty, value ?? string.Empty));
        }

        list.Sort(static (a, b) =>
        {
            var byName = string.CompareOrdinal(a.Key, b.Key);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });

        // Drop repeated (name, value) pairs: Twilio's libraries sign each distinct value of a name once.
        var write = 0;
        for (var read = 0; read < list.Count; read++)
        {
            if (write == 0 || !string.Equals(list[write - 1].Key, list[read].Key, StringComparison.Ordinal)
                || !string.Equals(list[write - 1].Value, list[read].Value, StringComparison.Ordinal))
            {
                list[write++] = list[read];
            }
        }

        list.RemoveRange(write, list.Count - write);
        return list;
    }

    private static bool Matches(string expected, string actual)
        => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));

    /// <summary>
    /// The URL without its port, and with it (the scheme's default port added when none is given), changing nothing
    /// else: scheme and host case, user info, path, query and fragment are kept byte for byte.
    /// </summary>
    internal static (string WithoutPort, string WithPort) PortVariants(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return (url, url);
        }

        var authorityStart = schemeEnd + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }

        var authority = url.AsSpan(authorityStart, authorityEnd - authorityStart);
        var hostStart = authority.LastIndexOf('@') + 1;
        var hostAndPort = authority[hostStart..];
        var colon = hostAndPort.LastIndexOf(':');
        var hasPort = colon >= 0
            && hostAndPort.LastIndexOf(']') < colon // not inside an IPv6 literal
            && colon < hostAndPort.Length - 1
            && hostAndPort[(colon + 1)..].IndexOfAnyExceptInRange('0', '9') < 0;

        var hostEnd = authorityStart + hostStart + (hasPort ? colon : hostAndPort.Length);
        var withoutPort = hasPort ? string.Concat(url.AsSpan(0, hostEnd), url.AsSpan(authorityEnd)) : url;
        if (hasPort)
        {
            return (withoutPort, url);
        }

        var scheme = url.AsSpan(0, schemeEnd);
        var defaultPort = scheme.Equals("https", StringComparison.OrdinalIgnoreCase) ? ":443"
            : scheme.Equals("http", StringComparison.OrdinalIgnoreCase) ? ":80"
            : null;
        var withPort = defaultPort is null ? url : string.Concat(url.AsSpan(0, hostEnd), defaultPort, url.AsSpan(authorityEnd));
        return (withoutPort, withPort);
    }

    /// <summary>The <c>bodySHA256</c> query parameter, unescaped, or <see langword="null"/> when the URL has none.</summary>
    internal static string? BodyHashFrom(string url)
    {
        var queryStart = url.IndexOf('?', StringComparison.Ordinal);
        if (queryStart < 0)
        {
            return null;
        }

        var fragment = url.IndexOf('#', queryStart);
        var query = url.AsSpan(queryStart + 1, (fragment < 0 ? url.Length : fragment) - queryStart - 1);
        while (!query.IsEmpty)
        {
            var amp = query.IndexOf('&');
            var pair = amp < 0 ? query : query[..amp];
            query = amp < 0 ? [] : query[(amp + 1)..];
            var equals = pair.IndexOf('=');
            if (equals > 0 && pair[..equals].SequenceEqual(BodyHashParameter))
            {
                return Uri.UnescapeDataString(pair[(equals + 1)..].ToString());
            }
        }

        return null;
    }
}
