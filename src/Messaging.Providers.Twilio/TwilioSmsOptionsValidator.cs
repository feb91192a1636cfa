using System.Globalization;
using Microsoft.Extensions.Options;

namespace Messaging.Providers.Twilio;

/// <summary>
/// Validates <see cref="TwilioSmsOptions"/> at start-up. Every failure names the configuration key (under the section
/// the options of that registration were bound from, e.g. <c>Messaging:Providers:Twilio:northshire:AccountSid</c>) and
/// says what is expected; none prints a secret, and none prints the sender either.
/// </summary>
internal sealed class TwilioSmsOptionsValidator : IValidateOptions<TwilioSmsOptions>
{
    private static readonly TimeSpan MinCircuitDuration = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxCircuitDuration = TimeSpan.FromDays(1);

    private readonly TwilioRegistrations? _registrations;
    private readonly string? _sectionPath;

    /// <summary>Validates every registration of the host, each under its own section path; other option names are skipped.</summary>
    public TwilioSmsOptionsValidator(TwilioRegistrations registrations) => _registrations = registrations;

    /// <summary>Validates options of any name, naming keys under <paramref name="sectionPath"/>.</summary>
    public TwilioSmsOptionsValidator(string sectionPath) => _sectionPath = sectionPath;

    public ValidateOptionsResult Validate(string? name, TwilioSmsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string sectionPath;
        if (_registrations is null)
        {
            sectionPath = _sectionPath ?? string.Empty;
        }
        else if (_registrations.FindByOptionsName(name) is { } registration)
        {
            sectionPath = registration.SectionPath;
        }
        else
        {
            return ValidateOptionsResult.Skip;
        }

        var prefix = string.IsNullOrEmpty(sectionPath) ? string.Empty : sectionPath + ":";
        var failures = new List<string>();

        if (string.IsNullOrWhiteSpace(options.AccountSid))
        {
            failures.Add($"{prefix}AccountSid is required: the Twilio account SID (AC followed by 32 hexadecimal digits).");
        }
        else if (!TwilioSids.IsSid(options.AccountSid, "AC"))
        {
            failures.Add($"{prefix}AccountSid must be AC followed by 32 hexadecimal digits.");
        }

        var hasKeySid = !string.IsNullOrWhiteSpace(options.ApiKeySid);
        var hasKeySecret = !string.IsNullOrWhiteSpace(options.ApiKeySecret);
        if (hasKeySid && !hasKeySecret)
        {
            failures.Add($"{prefix}ApiKeySecret is required when {prefix}ApiKeySid is set.");
        }
        else if (hasKeySecret && !hasKeySid)
        {
            failures.Add($"{prefix}ApiKeySid is required when {prefix}ApiKeySecret is set.");
        }
        else if (!hasKeySid && string.IsNullOrWhiteSpace(options.AuthToken))
        {
            failures.Add($"{prefix}AuthToken is required (or {prefix}ApiKeySid with {prefix}ApiKeySecret): the credentials for Twilio's REST API.");
        }

        if (hasKeySid && !TwilioSids.IsSid(options.ApiKeySid!, "SK"))
        {
            failures.Add($"{prefix}ApiKeySid must be SK followed by 32 hexadecimal digits.");
        }

        var hasFrom = !string.IsNullOrWhiteSpace(options.From);
        var hasService = !string.IsNullOrWhiteSpace(options.MessagingServiceSid);
        if (hasFrom == hasService)
        {
            failures.Add(hasFrom
                ? $"{prefix}From and {prefix}MessagingServiceSid are both set: set exactly one of them."
                : $"{prefix}From or {prefix}MessagingServiceSid is required: the sender number or ID, or the Messaging Service that picks it.");
        }
        else if (hasFrom && !IsSender(options.From!))
        {
            failures.Add($"{prefix}From must be an E.164 number (+447700900123), a short code, or an alphanumeric sender ID of at most 11 letters, digits or spaces.");
        }
        else if (hasService && !TwilioSids.IsSid(options.MessagingServiceSid!, "MG"))
        {
            failures.Add($"{prefix}MessagingServiceSid must be MG followed by 32 hexadecimal digits.");
        }

        if (options.BaseUrl is null)
        {
            failures.Add($"{prefix}BaseUrl is required: the root of Twilio's REST API (https://api.twilio.com).");
        }
        else if (!options.BaseUrl.IsAbsoluteUri || (options.BaseUrl.Scheme != Uri.UriSchemeHttps && options.BaseUrl.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{prefix}BaseUrl must be an absolute http or https URL.");
        }
        else if (options.BaseUrl.Scheme == Uri.UriSchemeHttp && !options.BaseUrl.IsLoopback)
        {
            failures.Add($"{prefix}BaseUrl must use https (plain http is allowed on a loopback host only, for a mock): credentials travel in every request.");
        }

        if (options.Timeout < TimeSpan.FromSeconds(1) || options.Timeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{prefix}Timeout must be between 00:00:01 and 00:05:00; it is {options.Timeout}.");
        }

        if (options.StatusCallbackUrl is { } callback
            && (!callback.IsAbsoluteUri || (callback.Scheme != Uri.UriSchemeHttps && callback.Scheme != Uri.UriSchemeHttp)))
        {
            failures.Add($"{prefix}StatusCallbackUrl must be an absolute http or https URL that Twilio can reach.");
        }

        if (!(options.CircuitBreakerFailureRatio > 0 && options.CircuitBreakerFailureRatio <= 1))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{prefix}CircuitBreakerFailureRatio must be greater than 0 and at most 1; it is {options.CircuitBreakerFailureRatio}."));
        }

        if (options.CircuitBreakerMinimumThroughput < 2)
        {
            failures.Add($"{prefix}CircuitBreakerMinimumThroughput must be at least 2; it is {options.CircuitBreakerMinimumThroughput}.");
        }

        if (options.CircuitBreakerSamplingDuration < MinCircuitDuration || options.CircuitBreakerSamplingDuration > MaxCircuitDuration)
        {
            failures.Add($"{prefix}CircuitBreakerSamplingDuration must be between 00:00:00.5 and 1.00:00:00; it is {options.CircuitBreakerSamplingDuration}.");
        }

        if (options.CircuitBreakerBreakDuration < MinCircuitDuration || options.CircuitBreakerBreakDuration > MaxCircuitDuration)
        {
            failures.Add($"{prefix}CircuitBreakerBreakDuration must be between 00:00:00.5 and 1.00:00:00; it is {options.CircuitBreakerBreakDuration}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>An E.164 number, a short code (3 to 8 digits), or an alphanumeric sender ID (1 to 11 characters, one a letter).</summary>
    internal static bool IsSender(string from)
    {
        if (PhoneNumber.TryFromE164(from, out _))
        {
            return true;
        }

        if (from.Length is >= 3 and <= 8 && from.All(char.IsAsciiDigit))
        {
            return true;
        }

        return from.Length is >= 1 and <= 11
            && from.All(c => char.IsAsciiLetterOrDigit(c) || c == ' ')
            && from.Any(char.IsAsciiLetter);
    }
}

/// <summary>Twilio's resource ids: a two-letter prefix and 32 hexadecimal digits.</summary>
internal static class TwilioSids
{
    public static bool IsSid(string value, string prefix)
        => value.Length == 34
            && value.StartsWith(prefix, StringComparison.Ordinal)
            && value.AsSpan(2).IndexOfAnyExcept("0123456789abcdefABCDEF") < 0;
}
