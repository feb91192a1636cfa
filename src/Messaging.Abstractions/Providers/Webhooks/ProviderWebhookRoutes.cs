namespace Messaging;

/// <summary>
/// The SDK's routes for providers' webhooks, relative to its mount point (the path of <c>PublicBaseUrl</c>, e.g.
/// <c>/m</c>): <c>sms/{provider}/status</c> for delivery reports and <c>sms/{provider}/inbound/{organisationId}</c> for
/// inbound texts. One source for both the routes the web package maps and the callback URLs providers send.
/// </summary>
public static class ProviderWebhookRoutes
{
    /// <summary>The name of the organisation parameter of an inbound route.</summary>
    public const string OrganisationIdParameter = "organisationId";

    /// <summary>The status route of a provider, e.g. <c>sms/twilio/status</c>.</summary>
    /// <param name="providerName">The provider's name (lower-case letters, digits and hyphens).</param>
    /// <exception cref="ArgumentException">The name is not a valid route segment.</exception>
    public static string Status(string providerName) => $"sms/{Check(providerName)}/status";

    /// <summary>The query parameter of a status callback URL that carries the message's idempotency key.</summary>
    public const string MessageKeyParameter = "messageKey";

    /// <summary>
    /// The status callback of one message, e.g. <c>sms/twilio/status?messageKey=…</c>: the provider's status route with the
    /// message's idempotency key, so a delivery report that arrives before the SDK stored the provider's message id still
    /// finds its message (<see cref="DeliveryStatusUpdate.IdempotencyKey"/>). The provider signs the whole URL, key included.
    /// </summary>
    /// <param name="providerName">The provider's name (lower-case letters, digits and hyphens).</param>
    /// <param name="idempotencyKey">The key the SDK sends with the message.</param>
    /// <exception cref="ArgumentException">The name is not a valid route segment, or the key is empty.</exception>
    public static string StatusFor(string providerName, string idempotencyKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        return $"{Status(providerName)}?{MessageKeyParameter}={Uri.EscapeDataString(idempotencyKey)}";
    }

    /// <summary>
    /// The idempotency key in a status callback URL built by <see cref="StatusFor"/>, or <see langword="null"/> when it
    /// has none (e.g. a URL the host configured by hand). Read from an authenticated request's public URL only.
    /// </summary>
    /// <param name="publicUrl">The URL the provider called, query string included (<see cref="ProviderWebhookRequest.PublicUrl"/>).</param>
    public static string? MessageKeyOf(string publicUrl)
    {
        ArgumentNullException.ThrowIfNull(publicUrl);
        var start = publicUrl.IndexOf('?', StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var end = publicUrl.IndexOf('#', start);
        var query = end < 0 ? publicUrl[(start + 1)..] : publicUrl[(start + 1)..end];
        foreach (var pair in query.Split('&'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && string.Equals(pair[..eq], MessageKeyParameter, StringComparison.Ordinal))
            {
                var value = Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
                return value.Length > 0 ? value : null;
            }
        }

        return null;
    }

    /// <summary>The inbound route template of a provider, e.g. <c>sms/twilio/inbound/{organisationId}</c>.</summary>
    /// <param name="providerName">The provider's name (lower-case letters, digits and hyphens).</param>
    /// <exception cref="ArgumentException">The name is not a valid route segment.</exception>
    public static string Inbound(string providerName) => $"sms/{Check(providerName)}/inbound/{{{OrganisationIdParameter}}}";

    /// <summary>Whether a name can be a provider's route segment: 1 to 64 lower-case ASCII letters, digits or hyphens, starting with a letter.</summary>
    /// <param name="providerName">The name.</param>
    public static bool IsValidName(string? providerName)
        => providerName is { Length: >= 1 and <= 64 }
            && char.IsAsciiLetterLower(providerName[0])
            && providerName.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    private static string Check(string providerName)
        => IsValidName(providerName)
            ? providerName
            : throw new ArgumentException("A provider's name must be 1 to 64 lower-case letters, digits or hyphens, starting with a letter.", nameof(providerName));
}

/// <summary>
/// The public URLs of the SDK's endpoints, built on <c>Messaging:PublicBaseUrl</c>: what providers are told to call
/// (e.g. a status callback URL in each send, R26), so hosts never copy a URL by hand. The SDK's core implements it.
/// </summary>
public interface IMessagingPublicUrls
{
    /// <summary>The absolute URL of a path below the mount point: <c>PublicBaseUrl</c> followed by <paramref name="relativePath"/>.</summary>
    /// <param name="relativePath">A path relative to the mount point, without a leading slash, e.g. <see cref="ProviderWebhookRoutes.Status"/>.</param>
    /// <returns>The URL; its <see cref="Uri.OriginalString"/> is exactly the base followed by the path.</returns>
    /// <exception cref="InvalidOperationException"><c>Messaging:PublicBaseUrl</c> is not set.</exception>
    Uri Resolve(string relativePath);
}
