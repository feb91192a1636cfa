using Microsoft.Extensions.Options;

namespace Messaging.Outbox;

/// <summary>
/// How the outbox dispatcher works (R20). Bound from <c>Messaging:Outbox</c> by
/// <c>services.AddPatientMessaging(configuration.GetSection("Messaging"))</c>; validated at start-up.
/// </summary>
public sealed class OutboxOptions
{
    /// <summary>Whether the background dispatcher runs in this process. Turn it off in instances that should only accept sends.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RunInBackground { get; set; } = true;

    /// <summary>
    /// The fallback: how long an idle dispatcher waits before looking again when nothing woke it. Sends wake it when they
    /// commit (on PostgreSQL also in other instances, by <c>LISTEN/NOTIFY</c>) and its own retries when they fall due,
    /// so this bounds only what nothing signals: another instance's retries, leases of an instance that died, and
    /// wake-ups lost while the notification connection was down. An idle instance makes one claim query per interval.
    /// </summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many entries one round claims.</summary>
    /// <value>The default value is 50.</value>
    public int BatchSize { get; set; } = 50;

    /// <summary>How many provider calls run at once.</summary>
    /// <value>The default value is 8.</value>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>How many provider attempts a message gets before transient failures count as permanent.</summary>
    /// <value>The default value is 6.</value>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The first retry delay; each next one doubles, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    /// <value>The default value is 2 seconds.</value>
    public TimeSpan BaseRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest retry delay.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a claim lasts. An instance that dies mid-send leaves its claims to be taken by another after this, so the
    /// message is retried, never lost. Must exceed the slowest provider call.
    /// </summary>
    /// <value>The default value is 2 minutes.</value>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);
}

internal sealed class OutboxOptionsValidator : IValidateOptions<OutboxOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboxOptions options)
    {
        const string P = "Messaging:Outbox:";
        var failures = new List<string>();
        if (options.BatchSize is < 1 or > 1000) failures.Add($"{P}BatchSize must be between 1 and 1000; it is {options.BatchSize}.");
        if (options.MaxConcurrency is < 1 or > 256) failures.Add($"{P}MaxConcurrency must be between 1 and 256; it is {options.MaxConcurrency}.");
        if (options.MaxAttempts is < 1 or > 100) failures.Add($"{P}MaxAttempts must be between 1 and 100; it is {options.MaxAttempts}.");
        if (options.PollInterval <= TimeSpan.Zero) failures.Add($"{P}PollInterval must be positive.");
        if (options.BaseRetryDelay <= TimeSpan.Zero || options.MaxRetryDelay < options.BaseRetryDelay) failures.Add($"{P}BaseRetryDelay must be positive and at most MaxRetryDelay.");
        if (options.Lease < TimeSpan.FromSeconds(5)) failures.Add($"{P}Lease must be at least 5 seconds; it is {options.Lease}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
