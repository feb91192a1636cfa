using System.Security.Cryptography;
using System.Text;

namespace Messaging.Providers.NhsNotify.Webhooks;

/// <summary>
/// NHS Notify's callback signature: <c>x-hmac-sha256-signature</c> = lower-case hex of HMAC-SHA256 over the raw body,
/// keyed with <c>{ApplicationId}.{ApiKey}</c> (UTF-8).
/// </summary>
public static class NhsNotifyCallbackSignature
{
    /// <summary>The header carrying the signature.</summary>
    public const string SignatureHeader = "x-hmac-sha256-signature";

    /// <summary>The header carrying the application's API key.</summary>
    public const string ApiKeyHeader = "x-api-key";

    /// <summary>The signature NHS Notify sends for <paramref name="body"/>: lower-case hexadecimal HMAC-SHA256.</summary>
    /// <param name="applicationId">The application id registered with NHS Notify.</param>
    /// <param name="apiKey">The application's API key.</param>
    /// <param name="body">The raw request body, byte for byte.</param>
    public static string Compute(string applicationId, string apiKey, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(applicationId);
        ArgumentNullException.ThrowIfNull(apiKey);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes($"{applicationId}.{apiKey}"), body);
        return Convert.ToHexStringLower(mac);
    }

    /// <summary>
    /// Whether <paramref name="apiKeyHeader"/> is the API key and <paramref name="signature"/> is the body's signature,
    /// both compared in constant time (the signature case-insensitively, as hex).
    /// </summary>
    /// <param name="applicationId">The application id registered with NHS Notify.</param>
    /// <param name="apiKey">The application's API key.</param>
    /// <param name="body">The raw request body, byte for byte.</param>
    /// <param name="apiKeyHeader">The value of <c>x-api-key</c>, or <see langword="null"/> when absent.</param>
    /// <param name="signature">The value of <c>x-hmac-sha256-signature</c>, or <see langword="null"/> when absent.</param>
    public static bool IsValid(string applicationId, string apiKey, ReadOnlySpan<byte> body, string? apiKeyHeader, string? signature)
    {
        ArgumentNullException.ThrowIfNull(applicationId);
        ArgumentNullException.ThrowIfNull(apiKey);
        if (apiKeyHeader is null || signature is null || signature.Length != 64)
        {
            return false;
        }

        var keyOk = CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(apiKeyHeader), Encoding.UTF8.GetBytes(apiKey));
        byte[] given;
        try
        {
            given = Convert.FromHexString(signature);
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes($"{applicationId}.{apiKey}"), body);
        return CryptographicOperations.FixedTimeEquals(given, expected) & keyOk;
    }
}
