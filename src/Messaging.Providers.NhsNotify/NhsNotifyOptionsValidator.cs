using System.Globalization;
using Microsoft.Extensions.Options;

namespace Messaging.Providers.NhsNotify;

/// <summary>Validates <see cref="NhsNotifyOptions"/> at start-up: every failure names the key and prints no secret.</summary>
internal sealed class NhsNotifyOptionsValidator : IValidateOptions<NhsNotifyOptions>
{
    private const string SandboxHost = "sandbox.api.service.nhs.uk";
    private static readonly TimeSpan MinCircuitDuration = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxCircuitDuration = TimeSpan.FromDays(1);

    private readonly NhsNotifyRegistrations? _registrations;
    private readonly string _sectionPath = string.Empty;

    /// <summary>Validates options of any name, naming keys under <paramref name="sectionPath"/>.</summary>
    public NhsNotifyOptionsValidator(string sectionPath) => _sectionPath = sectionPath;

    /// <summary>Validates every registration of the host (R26), each under its own path; other option names are skipped.</summary>
    public NhsNotifyOptionsValidator(NhsNotifyRegistrations registrations) => _registrations = registrations;

    public ValidateOptionsResult Validate(string? name, NhsNotifyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sectionPath = _sectionPath;
        if (_registrations is not null)
        {
            if (_registrations.FindByOptionsName(name) is not { } registration)
            {
                return ValidateOptionsResult.Skip;
            }

            sectionPath = registration.SectionPath;
        }

        var prefix = string.IsNullOrEmpty(sectionPath) ? string.Empty : sectionPath + ":";
        var failures = new List<string>();

        if (options.BaseUrl is null)
        {
            failures.Add($"{prefix}BaseUrl is required: the root of the NHS Notify API (https://api.service.nhs.uk/comms).");
        }
        else if (!options.BaseUrl.IsAbsoluteUri || (options.BaseUrl.Scheme != Uri.UriSchemeHttps && options.BaseUrl.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{prefix}BaseUrl must be an absolute http or https URL.");
        }
        else if (options.BaseUrl.Scheme == Uri.UriSchemeHttp && !options.BaseUrl.IsLoopback)
        {
            failures.Add($"{prefix}BaseUrl must use https (plain http is allowed on a loopback host only, for a mock): credentials and patient data travel in every request.");
        }

        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add($"{prefix}ApiKey is required: the API key of the application registered with NHS Notify (callbacks carry it and are signed with it).");
        }

        if (string.IsNullOrWhiteSpace(options.ApplicationId))
        {
            failures.Add($"{prefix}ApplicationId is required: the id of the application registered with NHS Notify (part of the callbacks' signing secret).");
        }
        else if (options.ApplicationId.Contains('.', StringComparison.Ordinal))
        {
            failures.Add($"{prefix}ApplicationId must not contain '.': the callbacks' signing secret is ApplicationId.ApiKey.");
        }

        if (string.IsNullOrWhiteSpace(options.AccessToken) && options.BaseUrl is { IsAbsoluteUri: true } url && !url.IsLoopback
            && !string.Equals(url.Host, SandboxHost, StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{prefix}AccessToken is required outside the sandbox: the bearer token NHS England's API platform issued to the application.");
        }

        if (options.SmsRoutingPlanId == Guid.Empty)
        {
            failures.Add($"{prefix}SmsRoutingPlanId must be a routing plan id (the global SMS plan is {NhsNotifyOptions.GlobalSmsRoutingPlanId}).");
        }

        if (options.EmailRoutingPlanId == Guid.Empty)
        {
            failures.Add($"{prefix}EmailRoutingPlanId must be a routing plan id (the global email plan is {NhsNotifyOptions.GlobalEmailRoutingPlanId}).");
        }

        if (options.Timeout < TimeSpan.FromSeconds(1) || options.Timeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{prefix}Timeout must be between 00:00:01 and 00:05:00; it is {options.Timeout}.");
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
}
