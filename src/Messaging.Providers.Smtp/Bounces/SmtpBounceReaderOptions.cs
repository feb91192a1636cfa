using Microsoft.Extensions.Options;

namespace Messaging.Providers.Smtp;

/// <summary>
/// Where the SMTP bounce reader finds delivery reports: the IMAP mailbox of the envelope sender
/// (<see cref="SmtpEmailOptions.ReturnPath"/>). Bound from <c>Messaging:Smtp:Bounces</c> by convention; validated at start-up.
/// </summary>
public sealed class SmtpBounceReaderOptions
{
    /// <summary>The configuration section these options are conventionally bound from.</summary>
    public const string SectionName = "Messaging:Smtp:Bounces";

    /// <summary>The IMAP server's host name, e.g. <c>outlook.office365.com</c>. Required.</summary>
    public string? Host { get; set; }

    /// <summary>The IMAP port; <see langword="null"/> for the usual one of <see cref="TlsMode"/> (993 with implicit TLS, 143 otherwise).</summary>
    public int? Port { get; set; }

    /// <summary>How the IMAP connection is encrypted, as for SMTP.</summary>
    /// <value>The default value is <see cref="SmtpTlsMode.ImplicitTls"/>.</value>
    public SmtpTlsMode TlsMode { get; set; } = SmtpTlsMode.ImplicitTls;

    /// <summary>The mailbox's login. Required.</summary>
    public string? UserName { get; set; }

    /// <summary>The mailbox's password. Required; keep it in a secret store.</summary>
    public string? Password { get; set; }

    /// <summary>The folder reports arrive in.</summary>
    /// <value>The default value is <c>INBOX</c>.</value>
    public string Folder { get; set; } = "INBOX";

    /// <summary>
    /// How often the mailbox is read; with IDLE, how often the IDLE is renewed with a full read (keep it under the 29
    /// minutes RFC 2177 allows). Also the longest wait between reconnection attempts when the server is away.
    /// </summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Wait for new reports with IMAP IDLE when the server offers it (most do: Exchange Online, Dovecot, Gmail), so a
    /// report is applied as it arrives rather than at the next poll; otherwise, or when off, the mailbox is polled.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseIdle { get; set; } = true;

    /// <summary>Accept any server certificate. <b>For development and tests only.</b></summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AllowInvalidCertificates { get; set; }

    /// <summary>The port that will be used.</summary>
    public int EffectivePort => Port ?? (TlsMode == SmtpTlsMode.ImplicitTls ? 993 : 143);
}

/// <summary>Validates <see cref="SmtpBounceReaderOptions"/>, naming each bad setting.</summary>
internal sealed class SmtpBounceReaderOptionsValidator : IValidateOptions<SmtpBounceReaderOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpBounceReaderOptions options)
    {
        const string P = SmtpBounceReaderOptions.SectionName + ":";
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Host)) failures.Add($"{P}Host is required: the IMAP server of the bounce mailbox.");
        if (options.Port is < 1 or > 65535) failures.Add($"{P}Port must be between 1 and 65535; it is {options.Port}.");
        if (string.IsNullOrWhiteSpace(options.UserName) || string.IsNullOrEmpty(options.Password)) failures.Add($"{P}UserName and Password are required: the bounce mailbox's login.");
        if (string.IsNullOrWhiteSpace(options.Folder)) failures.Add($"{P}Folder is required, e.g. 'INBOX'.");
        if (options.PollInterval < TimeSpan.FromSeconds(1) || options.PollInterval > TimeSpan.FromMinutes(29)) failures.Add($"{P}PollInterval must be between 1 second and 29 minutes (the longest IDLE RFC 2177 allows); it is {options.PollInterval}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
