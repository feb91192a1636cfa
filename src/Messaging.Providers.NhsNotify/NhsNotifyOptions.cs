namespace Messaging.Providers.NhsNotify;

/// <summary>
/// How the SDK talks to NHS Notify: the API's address, the credentials of the application registered for it, the
/// routing plans and the HTTP limits. Bound from configuration (conventionally the <c>Messaging:NhsNotify</c> section)
/// and validated at start-up, so a missing or malformed setting stops the host with a message naming the key.
/// </summary>
/// <remarks>
/// <para>Authentication: NHS Notify is an application-restricted API of NHS England's API platform. Outside the sandbox
/// every request carries <c>Authorization: Bearer {token}</c>, a token the platform issues for a signed JWT client
/// assertion. This version sends <see cref="AccessToken"/> as that bearer; it does not yet perform the JWT exchange
/// itself (see the package README).</para>
/// <para>Callbacks: NHS Notify signs each callback with HMAC-SHA256 over the raw body, keyed with
/// <c>{ApplicationId}.{ApiKey}</c>, and sends <see cref="ApiKey"/> in <c>x-api-key</c>; both are checked.</para>
/// <para>Secrets are never logged, and validation messages name a setting without printing its value.</para>
/// </remarks>
public sealed class NhsNotifyOptions
{
    /// <summary>The configuration section <c>AddNhsNotify()</c> binds when given no section.</summary>
    public const string DefaultSectionName = "Messaging:NhsNotify";

    /// <summary>The provider's name (<see cref="ISmsProvider.Name"/> and <see cref="IEmailProvider.Name"/>), recorded with each message and carried by its delivery reports.</summary>
    public const string ProviderName = "nhs-notify";

    /// <summary>The global free-text routing plan that sends a text message only (personalisation <c>sms_body</c>).</summary>
    public static readonly Guid GlobalSmsRoutingPlanId = new("00000000-0000-0000-0000-000000000003");

    /// <summary>The global free-text routing plan that sends an email only (personalisation <c>email_subject</c>, <c>email_body</c>).</summary>
    public static readonly Guid GlobalEmailRoutingPlanId = new("00000000-0000-0000-0000-000000000002");

    /// <summary>
    /// The root of the API, to which <c>/v1/messages</c> is appended: <c>https://api.service.nhs.uk/comms</c> (production),
    /// <c>https://int.api.service.nhs.uk/comms</c> (integration) or <c>https://sandbox.api.service.nhs.uk/comms</c> (sandbox).
    /// </summary>
    /// <value>The default value is <c>https://api.service.nhs.uk/comms</c>.</value>
    public Uri BaseUrl { get; set; } = new("https://api.service.nhs.uk/comms");

    /// <summary>The API key of the application registered with NHS Notify. Secret. Required: NHS Notify's callbacks carry it and are signed with it.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The id of the application registered with NHS Notify. Required: with <see cref="ApiKey"/>, the secret of the callbacks' signature.</summary>
    public string? ApplicationId { get; set; }

    /// <summary>
    /// The bearer token sent in <c>Authorization</c>. Secret. Required unless <see cref="BaseUrl"/> is the sandbox or a
    /// loopback mock, which accept requests without one.
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>The routing plan of SMS sends.</summary>
    /// <value>The default value is <see cref="GlobalSmsRoutingPlanId"/>.</value>
    public Guid SmsRoutingPlanId { get; set; } = GlobalSmsRoutingPlanId;

    /// <summary>The routing plan of email sends.</summary>
    /// <value>The default value is <see cref="GlobalEmailRoutingPlanId"/>.</value>
    public Guid EmailRoutingPlanId { get; set; } = GlobalEmailRoutingPlanId;

    /// <summary>
    /// How long one send may take. When it runs out the send is reported as a transient failure (code <c>timeout</c>) and
    /// the outbox retries it later with the same <c>messageReference</c>, which NHS Notify deduplicates.
    /// </summary>
    /// <value>The default value is 15 seconds. Between 1 second and 5 minutes.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The share of sends in <see cref="CircuitBreakerSamplingDuration"/> that must fail transiently for the circuit to open (code <c>circuit_open</c>).</summary>
    /// <value>The default value is 0.5. Greater than 0, at most 1.</value>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>How many sends <see cref="CircuitBreakerSamplingDuration"/> must see before the circuit may open.</summary>
    /// <value>The default value is 10. At least 2.</value>
    public int CircuitBreakerMinimumThroughput { get; set; } = 10;

    /// <summary>The window over which <see cref="CircuitBreakerFailureRatio"/> is measured.</summary>
    /// <value>The default value is 30 seconds. Between 0.5 seconds and 1 day.</value>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit fails sends fast before letting one through.</summary>
    /// <value>The default value is 15 seconds. Between 0.5 seconds and 1 day.</value>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
