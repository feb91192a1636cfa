namespace Messaging;

/// <summary>
/// What the SDK's web package needs from a provider to serve its webhooks (R27): the routes it listens on, how to
/// authenticate a request against the public URL the provider called, and how to read delivery reports (R13) and
/// inbound texts (R14) out of it. Each provider package implements it and registers it in DI, so the web package
/// maps and dispatches webhooks without knowing any provider.
/// </summary>
/// <remarks>
/// <para>HTTP-framework-neutral: requests arrive as a <see cref="ProviderWebhookRequest"/>, already read. The host
/// (e.g. <c>MapPatientMessaging</c>) authenticates first and only then parses; it applies delivery reports through
/// <see cref="IDeliveryStatusService"/> (forward-only, idempotent) and inbound texts through
/// <see cref="IOptOutService"/> (STOP/START keywords).</para>
/// <para>Implementations are singletons, stateless and thread-safe, and never log phone numbers or bodies (R22).</para>
/// </remarks>
public interface IProviderWebhookHandler
{
    /// <summary>
    /// The provider's name: the <c>{provider}</c> segment of its routes (see <see cref="ProviderWebhookRoutes"/>) and the
    /// <see cref="ISmsProvider.Name"/> its delivery reports match, e.g. <c>twilio</c>. Lower-case letters, digits and
    /// hyphens.
    /// </summary>
    string Name { get; }

    /// <summary>
    /// The routes to map, relative to the SDK's mount point: normally <see cref="ProviderWebhookRoutes.Status"/> and
    /// <see cref="ProviderWebhookRoutes.Inbound"/> of <see cref="Name"/>, plus any deprecated aliases.
    /// </summary>
    IReadOnlyList<ProviderWebhookRoute> Routes { get; }

    /// <summary>Whether the request comes from the provider (e.g. its signature is valid for <see cref="ProviderWebhookRequest.PublicUrl"/>).</summary>
    /// <param name="request">The request as received.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns><see langword="false"/> for a forged, altered or unsigned request, which the host refuses with 403.</returns>
    ValueTask<bool> AuthenticateAsync(ProviderWebhookRequest request, CancellationToken cancellationToken);

    /// <summary>Reads the delivery reports of an authenticated status request.</summary>
    /// <param name="request">The request, authenticated.</param>
    /// <returns>
    /// The reports, each with the provider's message id, raw status and error code and the <see cref="DeliveryStatus"/>
    /// it maps to; empty when the request reports only statuses the SDK does not track.
    /// </returns>
    /// <exception cref="MessagingValidationException">The request lacks a field a report needs; the host answers 400.</exception>
    IReadOnlyList<DeliveryStatusUpdate> ParseStatusReports(ProviderWebhookRequest request);

    /// <summary>Reads the text of an authenticated inbound request.</summary>
    /// <param name="request">The request, authenticated; <see cref="ProviderWebhookRequest.OrganisationId"/> names the organisation it was sent to.</param>
    /// <returns>The text, its sender and the number it was sent to.</returns>
    /// <exception cref="MessagingValidationException">The request lacks a field or a number is not E.164; the host answers 400.</exception>
    InboundSms ParseInboundText(ProviderWebhookRequest request);

    /// <summary>The answer to an inbound request the host has handled: e.g. TwiML that sends <paramref name="reply"/> back.</summary>
    /// <param name="reply">The text to send back to the patient, or <see langword="null"/> to send nothing.</param>
    ProviderWebhookResponse CreateInboundResponse(string? reply);
}

/// <summary>What a provider's webhook route is for.</summary>
public enum ProviderWebhookKind
{
    /// <summary>Delivery reports of messages sent through the provider (R13).</summary>
    Status = 0,

    /// <summary>Texts patients send to an organisation's number (R14). The route has an <c>{organisationId}</c> parameter.</summary>
    Inbound = 1,
}

/// <summary>How the host reads a webhook's body before handing it to the handler.</summary>
public enum ProviderWebhookContent
{
    /// <summary>A form (<c>application/x-www-form-urlencoded</c> or <c>multipart/form-data</c>): read into <see cref="ProviderWebhookRequest.Form"/>; anything else is refused with 415.</summary>
    Form = 0,

    /// <summary>Any body (e.g. JSON), read byte for byte into <see cref="ProviderWebhookRequest.Body"/>.</summary>
    Raw = 1,
}

/// <summary>A route a provider's webhook handler listens on (always <c>POST</c>).</summary>
/// <param name="Kind">Status reports or inbound texts.</param>
/// <param name="Template">
/// The path relative to the SDK's mount point, e.g. <c>sms/twilio/status</c>; an <see cref="ProviderWebhookKind.Inbound"/>
/// route has the <c>{organisationId}</c> parameter. The public URL of a request is <c>PublicBaseUrl</c> followed by this
/// path (parameters filled in, escaped) and the query string, which is the URL the provider is configured with.
/// </param>
public sealed record ProviderWebhookRoute(ProviderWebhookKind Kind, string Template)
{
    /// <summary>How the body is read.</summary>
    /// <value>The default value is <see cref="ProviderWebhookContent.Form"/>.</value>
    public ProviderWebhookContent Content { get; init; }

    /// <summary>An old path kept working for a while; it is served as the others and marked deprecated in the docs and logs.</summary>
    public bool Deprecated { get; init; }
}

/// <summary>What the host answers a provider's webhook with.</summary>
/// <param name="StatusCode">The HTTP status code.</param>
/// <param name="ContentType">The content type of <paramref name="Body"/>, if there is one.</param>
/// <param name="Body">The body, e.g. TwiML, or <see langword="null"/>.</param>
public sealed record ProviderWebhookResponse(int StatusCode, string? ContentType = null, string? Body = null);
