using Microsoft.Extensions.Options;

namespace Messaging;

/// <summary>
/// <see cref="IMessagingPublicUrls"/> over <see cref="PatientMessagingOptions.PublicBaseUrl"/>, read on each call so a
/// configuration reload takes effect. The base is used in its normalised form (<see cref="Uri.AbsoluteUri"/>, with a
/// trailing slash), which is also how the web package rebuilds the URL a provider signed.
/// </summary>
internal sealed class MessagingPublicUrls(IOptionsMonitor<PatientMessagingOptions> options) : IMessagingPublicUrls
{
    public Uri Resolve(string relativePath) => Resolve(options.CurrentValue, relativePath);

    /// <summary>
    /// A URL under <paramref name="options"/>' public base: the one way the SDK builds every link it sends (reply, download,
    /// Direct-Message) and every callback URL a provider signs.
    /// </summary>
    internal static Uri Resolve(PatientMessagingOptions options, string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var baseUrl = options.PublicBaseUrl ?? throw new InvalidOperationException("Messaging:PublicBaseUrl is not set.");
        var root = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl.AbsoluteUri : baseUrl.AbsoluteUri + "/";
        return new Uri(root + relativePath.TrimStart('/'));
    }
}
