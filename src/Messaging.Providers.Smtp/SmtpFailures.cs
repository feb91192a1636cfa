using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Messaging.Providers.Smtp;

/// <summary>
/// Maps what MailKit throws to the provider contract's results: an SMTP 4xx reply or a network problem is transient
/// (the outbox retries), a 5xx reply or refused credentials are permanent. The SMTP reply code is kept as the error
/// code. Descriptions are for operators: they carry the relay's reply text with every email address masked, and
/// never the message body (R22).
/// </summary>
internal static partial class SmtpFailures
{
    /// <summary>Error code of a send that ran out of <see cref="SmtpEmailOptions.Timeout"/>.</summary>
    public const string Timeout = "timeout";

    /// <summary>Error code of a TCP connection that could not be made or broke mid-session.</summary>
    public const string Connection = "connection";

    /// <summary>Error code of a relay that answered something that is not SMTP.</summary>
    public const string Protocol = "protocol";

    /// <summary>Error code of a TLS handshake that failed (untrusted or expired certificate, no common protocol).</summary>
    public const string Tls = "tls";

    /// <summary>Error code of a relay that does not offer STARTTLS although <see cref="SmtpTlsMode.StartTls"/> requires it.</summary>
    public const string StartTlsUnavailable = "starttls_unavailable";

    /// <summary>Error code of a message that needs an SMTP extension the relay does not offer.</summary>
    public const string Unsupported = "unsupported";

    /// <summary>Error code of refused credentials when the relay gave no reply code.</summary>
    public const string Authentication = "auth";

    private const int MaxReplyText = 200;
    private const int MaxReplyInput = 2000;

    /// <summary>Whether a failure is one of the kinds this class maps (anything else is a programming error and propagates).</summary>
    public static bool IsMapped(Exception exception) => exception is
        SmtpCommandException or AuthenticationException or ServiceNotAuthenticatedException
        or SslHandshakeException or SmtpProtocolException or ServiceNotConnectedException
        or SocketException or IOException or TimeoutException or NotSupportedException;

    /// <summary>
    /// Whether the failure says the connection itself is unusable (rather than the relay refusing this message), so a
    /// reused connection that fails this way may simply have gone stale while it sat in the pool.
    /// </summary>
    public static bool IsBrokenConnection(Exception exception) => exception switch
    {
        SmtpCommandException c => c.StatusCode == SmtpStatusCode.ServiceNotAvailable, // 421: the relay is closing the session
        SmtpProtocolException or ServiceNotConnectedException or SocketException or IOException => true,
        _ => false,
    };

    /// <summary>Whether a connection that saw this failure can carry the next message (the relay only refused this one).</summary>
    public static bool ConnectionSurvives(Exception exception)
        => exception is SmtpCommandException c && c.StatusCode != SmtpStatusCode.ServiceNotAvailable;

    /// <summary>The result for a send that failed with <paramref name="exception"/>.</summary>
    public static ProviderSendResult Map(Exception exception) => exception switch
    {
        SmtpCommandException c => FromReply((int)c.StatusCode, Stage(c.ErrorCode), c.Message),

        // Refused credentials do not fix themselves: permanent, unless the relay said "try later" (454, 4xx).
        AuthenticationException a when a.InnerException is SmtpCommandException { StatusCode: var s } && (int)s is >= 400 and < 500
            => ProviderSendResult.Transient(Code((int)s), $"SMTP authentication temporarily failed: {Describe(a.InnerException.Message)}"),
        AuthenticationException a => ProviderSendResult.Permanent(
            a.InnerException is SmtpCommandException inner ? Code((int)inner.StatusCode) : AuthCodeFrom(a.Message),
            $"SMTP authentication failed; check UserName and Password: {Describe(a.Message)}"),
        ServiceNotAuthenticatedException => ProviderSendResult.Permanent(
            "530", "The SMTP relay requires authentication; set UserName and Password."),

        // Relay set-up problems: nothing is wrong with the message, so keep it for when the operator fixes them.
        SslHandshakeException => ProviderSendResult.Transient(
            Tls, "The TLS handshake with the SMTP relay failed (is its certificate valid for Host and trusted here?)."),
        NotSupportedException n when n.Message.Contains("STARTTLS", StringComparison.OrdinalIgnoreCase) => ProviderSendResult.Transient(
            StartTlsUnavailable, "The SMTP relay does not offer STARTTLS, which TlsMode StartTls requires; check Host, Port and TlsMode."),

        // The relay lacks an extension this message needs (MailKit names it); sending it again will not help.
        NotSupportedException n => ProviderSendResult.Permanent(Unsupported, $"The SMTP relay cannot take this message: {Describe(n.Message)}"),

        TimeoutException or OperationCanceledException => ProviderSendResult.Transient(Timeout, "The SMTP relay did not answer within the configured Timeout."),
        SmtpProtocolException => ProviderSendResult.Transient(Protocol, "The SMTP session broke: the relay closed the connection or sent something that is not SMTP."),
        ServiceNotConnectedException => ProviderSendResult.Transient(Connection, "The connection to the SMTP relay was closed."),
        SocketException s => ProviderSendResult.Transient(Connection, $"Could not reach the SMTP relay: {s.SocketErrorCode}."),
        IOException => ProviderSendResult.Transient(Connection, "The connection to the SMTP relay failed mid-session."),
        _ => ProviderSendResult.Transient(null, exception.GetType().Name),
    };

    /// <summary>The result for an SMTP reply code: 4xx transient, 5xx permanent, anything else unexpected (transient).</summary>
    public static ProviderSendResult FromReply(int replyCode, string stage, string replyText)
    {
        var description = $"SMTP {replyCode.ToString(CultureInfo.InvariantCulture)} {stage}: {Describe(replyText)}";
        return replyCode is >= 500 and < 600
            ? ProviderSendResult.Permanent(Code(replyCode), description)
            : ProviderSendResult.Transient(Code(replyCode), description);
    }

    /// <summary>The relay's reply text, one line, email addresses masked, at most 200 characters.</summary>
    public static string Describe(string? replyText)
    {
        if (string.IsNullOrWhiteSpace(replyText))
        {
            return "(no reply text)";
        }

        // Bound the input first: the text comes from a remote server.
        var text = replyText.Length <= MaxReplyInput ? replyText : replyText[..MaxReplyInput];
        try
        {
            text = AddressPattern().Replace(text, "***@***");
        }
        catch (RegexMatchTimeoutException)
        {
            return "(reply text withheld)";
        }

        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= MaxReplyText ? text : string.Concat(text.AsSpan(0, MaxReplyText), "…");
    }

    private static string Code(int replyCode) => replyCode.ToString(CultureInfo.InvariantCulture);

    private static string Stage(SmtpErrorCode errorCode) => errorCode switch
    {
        SmtpErrorCode.RecipientNotAccepted => "recipient refused",
        SmtpErrorCode.SenderNotAccepted => "sender refused",
        SmtpErrorCode.MessageNotAccepted => "message refused",
        _ => "unexpected reply",
    };

    /// <summary>MailKit formats some authentication failures as "535: text" without an inner exception.</summary>
    private static string AuthCodeFrom(string message)
        => message.Length >= 4 && message[3] == ':' && int.TryParse(message.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            ? Code(code)
            : Authentication;

    // Anything shaped like an address (local@domain), with or without angle brackets.
    [GeneratedRegex(@"[^\s<>""'(),;:]+@[^\s<>""'(),;:]+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex AddressPattern();
}
