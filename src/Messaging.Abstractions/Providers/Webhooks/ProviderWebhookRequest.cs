namespace Messaging;

/// <summary>
/// A provider's webhook request as the SDK's web package hands it to an <see cref="IProviderWebhookHandler"/>: the
/// method, the public URL the provider called, the headers and the body (form fields or raw bytes). Free of any HTTP
/// framework. The form and body are patient data: never log them.
/// </summary>
public sealed class ProviderWebhookRequest
{
    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The HTTP method, e.g. <c>POST</c>.</summary>
    public required string Method { get; init; }

    /// <summary>
    /// The URL the provider called as it knows it, which is what it signs: <c>PublicBaseUrl</c>, the route's path with its
    /// parameters, and the query string as received. Never the Host header the app saw (behind a proxy they differ).
    /// </summary>
    public required string PublicUrl { get; init; }

    /// <summary>The request headers, names case-insensitive; a header sent several times has its values joined with commas.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = NoHeaders;

    /// <summary>The content type as sent, if any.</summary>
    public string? ContentType { get; init; }

    /// <summary>Every form field received, in order (a name may repeat); empty for a route that reads the raw body.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Form { get; init; } = [];

    /// <summary>The raw body, for a route that reads it (<see cref="ProviderWebhookContent.Raw"/>); empty otherwise.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The organisation of an inbound route (its <c>{organisationId}</c>), or <see langword="null"/>.</summary>
    public OrganisationId? OrganisationId { get; init; }

    /// <summary>The method only: the URL, headers and body may carry patient data (R22).</summary>
    public override string ToString() => $"ProviderWebhookRequest {{ Method = {Method} }}";
}
