using System.Net.Security;

namespace Messaging.Providers.Smtp;

/// <summary>How the connection to the SMTP relay is encrypted.</summary>
public enum SmtpTlsMode
{
    /// <summary>
    /// No encryption: the message, and any password, cross the network in clear. Only for a relay on the same
    /// host or a test server; never for patient email over a network.
    /// </summary>
    None = 0,

    /// <summary>
    /// Connect in clear, then upgrade with <c>STARTTLS</c> before anything else is sent (submission, port 587). The
    /// upgrade is required: a relay that does not offer it is refused, so a downgrade cannot pass unnoticed.
    /// </summary>
    StartTls = 1,

    /// <summary>TLS from the first byte (SMTPS, port 465).</summary>
    ImplicitTls = 2,
}

/// <summary>
/// Settings of the SMTP email provider: which relay, how to reach it, who the mail is from. Bound from
/// <c>Messaging:Smtp</c> by convention (see <see cref="SectionName"/>) and validated at start-up, so a missing host or
/// sender fails the host at start rather than at the first patient email.
/// </summary>
/// <example>
/// <code>
/// "Messaging": { "Smtp": {
///   "Host": "send.nhs.net", "TlsMode": "StartTls",
///   "UserName": "clinic@nhs.net", "Password": "(from a secret store)",
///   "FromAddress": "clinic@nhs.net", "FromName": "Riverside Clinic" } }
/// </code>
/// </example>
public sealed class SmtpEmailOptions
{
    /// <summary>The configuration section these options are conventionally bound from.</summary>
    public const string SectionName = "Messaging:Smtp";

    /// <summary>The relay's host name or IP address, e.g. <c>send.nhs.net</c> or <c>smtp.example.org</c>. Required.</summary>
    /// <remarks>With TLS, the certificate must be valid for this name, so prefer the name the relay's certificate carries over an IP address.</remarks>
    public string? Host { get; set; }

    /// <summary>The relay's TCP port; <see langword="null"/> picks the usual one for <see cref="TlsMode"/>.</summary>
    /// <value>The default value is <see langword="null"/>: 25 for <see cref="SmtpTlsMode.None"/>, 587 for
    /// <see cref="SmtpTlsMode.StartTls"/>, 465 for <see cref="SmtpTlsMode.ImplicitTls"/>.</value>
    public int? Port { get; set; }

    /// <summary>How the connection is encrypted.</summary>
    /// <value>The default value is <see cref="SmtpTlsMode.StartTls"/>.</value>
    public SmtpTlsMode TlsMode { get; set; } = SmtpTlsMode.StartTls;

    /// <summary>The login for SMTP AUTH, or <see langword="null"/> when the relay accepts this host without one (e.g. by IP).</summary>
    /// <remarks>Set both <see cref="UserName"/> and <see cref="Password"/>, or neither.</remarks>
    public string? UserName { get; set; }

    /// <summary>The password for SMTP AUTH. Keep it in a secret store; it is never logged or put in an error message.</summary>
    /// <remarks>
    /// Sending a password needs encryption: with <see cref="SmtpTlsMode.None"/> it is refused at start-up unless the
    /// relay is on this machine (<c>localhost</c>, <c>127.0.0.1</c>, <c>::1</c>).
    /// </remarks>
    public string? Password { get; set; }

    /// <summary>The sender address in the <c>From</c> header and the SMTP envelope, e.g. <c>clinic@nhs.net</c>. Required.</summary>
    /// <remarks>Its domain is also the right-hand side of every Message-ID the provider makes.</remarks>
    public string? FromAddress { get; set; }

    /// <summary>The sender's display name, e.g. <c>Riverside Clinic</c>, or <see langword="null"/> for the bare address.</summary>
    public string? FromName { get; set; }

    /// <summary>
    /// The name this host gives itself in <c>EHLO</c>, or <see langword="null"/> for the machine's name. Some relays
    /// check it against the connecting address.
    /// </summary>
    public string? LocalDomain { get; set; }

    /// <summary>
    /// How long one send may take, connecting and authenticating included. A send that runs out of time is reported
    /// as a transient failure (the outbox tries again); the connection it used is discarded.
    /// </summary>
    /// <value>The default value is 30 seconds. It must be between 1 second and 10 minutes.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many connections to the relay may be open at once. Each carries one message at a time (SMTP sessions are
    /// sequential), and stays open between sends so the TCP, TLS and AUTH cost is paid once, not per message.
    /// </summary>
    /// <value>The default value is 4. It must be between 1 and 100; many relays limit connections per client.</value>
    public int MaxConnections { get; set; } = 4;

    /// <summary>
    /// A pooled connection idle for at least this long is checked with <c>NOOP</c> before it is reused, and replaced
    /// if the relay has closed it meanwhile (relays drop idle clients after a few minutes).
    /// <see cref="TimeSpan.Zero"/> checks before every reuse, which costs a round trip per message.
    /// </summary>
    /// <value>The default value is 15 seconds.</value>
    public TimeSpan IdleCheckAfter { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Accept any server certificate, even self-signed, expired or for another name. <b>For development and tests
    /// only</b>: it lets anyone on the network path read patient email. Start-up logs a warning when it is set.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AllowInvalidCertificates { get; set; }

    /// <summary>
    /// Decides whether the relay's certificate is trusted, in place of the platform's validation; e.g. to pin an
    /// internal CA. <see langword="null"/> uses the platform's validation (or <see cref="AllowInvalidCertificates"/>).
    /// Code only: it cannot be bound from configuration.
    /// </summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidationCallback { get; set; }

    /// <summary>
    /// Ask the relay for delivery status notifications (DSN, RFC 3461) where it supports them: a report when a message
    /// fails or is delayed, sent to <see cref="ReturnPath"/> and carrying the original's headers only (<c>RET=HDRS</c>,
    /// never its body) and an envelope id (<c>ENVID</c>) derived from the message's idempotency key, so the bounce reader
    /// matches a report to its message without reading patient data.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RequestDeliveryReports { get; set; } = true;

    /// <summary>Also ask for a report when a message is delivered (<c>NOTIFY=SUCCESS</c>), so email reaches Delivered where the relay reports it.</summary>
    /// <value>The default value is <see langword="false"/> (one more message per email in the bounce mailbox).</value>
    public bool ReportSuccess { get; set; }

    /// <summary>
    /// The envelope sender (<c>MAIL FROM</c>): where delivery reports go, typically a mailbox the bounce reader reads;
    /// <see langword="null"/> uses <see cref="FromAddress"/>. Patients see <see cref="FromAddress"/> either way.
    /// </summary>
    public string? ReturnPath { get; set; }

    /// <summary>The port that will be used: <see cref="Port"/>, or the usual one for <see cref="TlsMode"/>.</summary>
    public int EffectivePort => Port ?? TlsMode switch
    {
        SmtpTlsMode.None => 25,
        SmtpTlsMode.ImplicitTls => 465,
        _ => 587,
    };
}
