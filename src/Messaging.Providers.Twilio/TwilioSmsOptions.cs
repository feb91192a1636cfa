namespace Messaging.Providers.Twilio;

/// <summary>
/// How the SDK talks to Twilio: the account, its credentials, the sender and the HTTP limits. Bound from
/// configuration (conventionally the <c>Messaging:Twilio</c> section) and validated at start-up, so a missing or
/// malformed setting stops the host with a message naming the key instead of failing the first patient message.
/// </summary>
/// <remarks>
/// <para>Credentials: set either <see cref="AuthToken"/> or the pair <see cref="ApiKeySid"/> + <see cref="ApiKeySecret"/>
/// for the REST API. When both are set, the API key is used for sending (it can be revoked on its own) and the auth token
/// only for webhook signatures. Webhook signatures are always made with the account's auth token, so a host that
/// validates webhooks with <see cref="Webhooks.TwilioRequestValidator"/> sets <see cref="AuthToken"/> even when it sends
/// with an API key.</para>
/// <para>Sender: set exactly one of <see cref="From"/> and <see cref="MessagingServiceSid"/>.</para>
/// <para>Secrets are never logged, and validation messages name a setting without printing its value.</para>
/// </remarks>
public sealed class TwilioSmsOptions
{
    /// <summary>The configuration section <c>AddTwilioSms()</c> binds when given no section.</summary>
    public const string DefaultSectionName = "Messaging:Twilio";

    /// <summary>
    /// The provider's name (<see cref="ISmsProvider.Name"/>): recorded with each message sent through Twilio and
    /// carried by the delivery reports <see cref="Webhooks.TwilioWebhookParser"/> builds, so they match.
    /// </summary>
    public const string ProviderName = "twilio";

    /// <summary>The Twilio account SID (<c>AC</c> followed by 32 hexadecimal digits). Required.</summary>
    public string? AccountSid { get; set; }

    /// <summary>
    /// The account's auth token. Secret. Used for HTTP basic auth when no API key is set, and always to check
    /// <c>X-Twilio-Signature</c> on webhooks.
    /// </summary>
    public string? AuthToken { get; set; }

    /// <summary>An API key SID (<c>SK</c> followed by 32 hexadecimal digits), used with <see cref="ApiKeySecret"/> instead of the auth token.</summary>
    public string? ApiKeySid { get; set; }

    /// <summary>The secret of <see cref="ApiKeySid"/>. Secret.</summary>
    public string? ApiKeySecret { get; set; }

    /// <summary>
    /// The sender: an E.164 number of the account (<c>+447700900123</c>), a short code, or an alphanumeric sender ID
    /// (up to 11 letters, digits or spaces, with at least one letter, e.g. <c>NHSTrust</c>). Exclusive with
    /// <see cref="MessagingServiceSid"/>.
    /// </summary>
    public string? From { get; set; }

    /// <summary>
    /// A Messaging Service SID (<c>MG</c> followed by 32 hexadecimal digits) that picks the sender from its pool.
    /// Exclusive with <see cref="From"/>.
    /// </summary>
    public string? MessagingServiceSid { get; set; }

    /// <summary>
    /// The root of Twilio's REST API. Change it only to point at a mock or a recording proxy in tests; the path
    /// <c>/2010-04-01/Accounts/{AccountSid}/Messages.json</c> is appended to it.
    /// </summary>
    /// <value>The default value is <c>https://api.twilio.com</c>.</value>
    public Uri BaseUrl { get; set; } = new("https://api.twilio.com");

    /// <summary>
    /// How long one send may take, from opening the connection to reading the answer. When it runs out the send is
    /// reported as a transient failure (code <c>timeout</c>) and the SDK's outbox dispatcher retries it later.
    /// </summary>
    /// <value>The default value is 15 seconds. Between 1 second and 5 minutes.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Overrides where Twilio posts delivery reports when a send does not name its own
    /// (<see cref="SmsSendRequest.StatusCallback"/>). Optional, and normally left unset: the SDK then puts
    /// <c>{Messaging:PublicBaseUrl}sms/twilio/status</c> in each send, the route <c>MapPatientMessaging</c> maps, so
    /// hosts never copy a URL. Set it only when Twilio must call somewhere else (e.g. a relay in front of the host).
    /// </summary>
    public Uri? StatusCallbackUrl { get; set; }

    /// <summary>
    /// The share of sends, among those in <see cref="CircuitBreakerSamplingDuration"/>, that must fail transiently (5xx,
    /// 429, 408, network error, timeout) for the circuit to open and sends to fail fast (code <c>circuit_open</c>), so a
    /// fallback provider takes over at once.
    /// </summary>
    /// <value>The default value is 0.5. Greater than 0, at most 1.</value>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>How many sends <see cref="CircuitBreakerSamplingDuration"/> must see before the circuit may open.</summary>
    /// <value>The default value is 10. At least 2.</value>
    public int CircuitBreakerMinimumThroughput { get; set; } = 10;

    /// <summary>The window over which <see cref="CircuitBreakerFailureRatio"/> is measured.</summary>
    /// <value>The default value is 30 seconds. Between 0.5 seconds and 1 day.</value>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit fails sends fast before letting one through to test Twilio again.</summary>
    /// <value>The default value is 15 seconds. Between 0.5 seconds and 1 day.</value>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
