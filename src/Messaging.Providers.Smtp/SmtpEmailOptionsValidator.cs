using System.Net;
using Microsoft.Extensions.Options;

namespace Messaging.Providers.Smtp;

/// <summary>
/// Fails start-up on settings that cannot work, naming the configuration key (e.g. <c>Messaging:Smtp:Host</c>) and
/// never echoing the password.
/// </summary>
internal sealed class SmtpEmailOptionsValidator : IValidateOptions<SmtpEmailOptions>
{
    public const int MaxConnectionsLimit = 100;

    private readonly SmtpRegistrations? _registrations;

    public SmtpEmailOptionsValidator()
        : this(SmtpEmailOptions.SectionName)
    {
    }

    /// <summary>Validates options of any name, naming keys under <paramref name="configurationPath"/>.</summary>
    public SmtpEmailOptionsValidator(string configurationPath) => ConfigurationPath = configurationPath;

    /// <summary>Validates every registration of the host (R26), each under its own path; other option names are skipped.</summary>
    public SmtpEmailOptionsValidator(SmtpRegistrations registrations)
    {
        _registrations = registrations;
        ConfigurationPath = SmtpEmailOptions.SectionName;
    }

    /// <summary>The configuration path the options were bound from, used to name keys in messages.</summary>
    public string ConfigurationPath { get; }

    public ValidateOptionsResult Validate(string? name, SmtpEmailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = ConfigurationPath;
        if (_registrations is not null)
        {
            if (_registrations.FindByOptionsName(name) is not { } registration)
            {
                return ValidateOptionsResult.Skip;
            }

            path = registration.SectionPath;
        }

        var p = string.IsNullOrEmpty(path) ? string.Empty : path + ":";
        var failures = new List<string>();

        if (string.IsNullOrWhiteSpace(options.Host))
        {
            failures.Add($"{p}Host is required: the SMTP relay's host name, e.g. 'send.nhs.net'.");
        }
        else if (Uri.CheckHostName(options.Host.Trim()) == UriHostNameType.Unknown)
        {
            failures.Add($"{p}Host must be a host name or an IP address; '{options.Host}' is neither.");
        }

        if (options.Port is { } port && (port < 1 || port > 65535))
        {
            failures.Add($"{p}Port must be between 1 and 65535 (or unset for the usual port of the TLS mode); it is {port}.");
        }

        if (!Enum.IsDefined(options.TlsMode))
        {
            failures.Add($"{p}TlsMode must be None, StartTls or ImplicitTls; it is {(int)options.TlsMode}.");
        }

        var hasUser = !string.IsNullOrEmpty(options.UserName);
        var hasPassword = !string.IsNullOrEmpty(options.Password);
        if (hasUser != hasPassword)
        {
            failures.Add(hasUser
                ? $"{p}Password is required when {p}UserName is set (set both for SMTP AUTH, or neither)."
                : $"{p}UserName is required when {p}Password is set (set both for SMTP AUTH, or neither).");
        }

        if (hasPassword && options.TlsMode == SmtpTlsMode.None && !IsLoopback(options.Host))
        {
            failures.Add($"{p}TlsMode is None, which would send the password in clear to a remote relay: use StartTls or ImplicitTls.");
        }

        if (string.IsNullOrWhiteSpace(options.FromAddress))
        {
            failures.Add($"{p}FromAddress is required: the sender address, e.g. 'clinic@nhs.net'.");
        }
        else if (!EmailAddress.TryParse(options.FromAddress, out _))
        {
            failures.Add($"{p}FromAddress must be an email address with a dotted domain, e.g. 'clinic@nhs.net'; '{options.FromAddress}' is not.");
        }

        if (options.ReturnPath is { } returnPath && !EmailAddress.TryParse(returnPath, out _))
        {
            failures.Add($"{p}ReturnPath must be an email address with a dotted domain, e.g. 'clinic-bounces@nhs.net'; '{returnPath}' is not.");
        }

        if (options.FromName is { } fromName && fromName.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            failures.Add($"{p}FromName must be a single line.");
        }

        if (options.LocalDomain is { Length: > 0 } local && Uri.CheckHostName(local) == UriHostNameType.Unknown)
        {
            failures.Add($"{p}LocalDomain must be a host name or an IP address; '{local}' is neither.");
        }

        if (options.Timeout < TimeSpan.FromSeconds(1) || options.Timeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{p}Timeout must be between 00:00:01 and 00:10:00; it is {options.Timeout}.");
        }

        if (options.MaxConnections is < 1 or > MaxConnectionsLimit)
        {
            failures.Add($"{p}MaxConnections must be between 1 and {MaxConnectionsLimit}; it is {options.MaxConnections}.");
        }

        if (options.IdleCheckAfter < TimeSpan.Zero || options.IdleCheckAfter > TimeSpan.FromHours(1))
        {
            failures.Add($"{p}IdleCheckAfter must be between 00:00:00 and 01:00:00; it is {options.IdleCheckAfter}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsLoopback(string? host)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            return false;
        }

        var h = host.Trim();
        return string.Equals(h, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(h.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }
}
