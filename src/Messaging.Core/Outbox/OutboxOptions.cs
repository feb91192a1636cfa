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

    /// <summary>
    /// The most entries one round claims. A round claims fewer when its calls could not all start within one lease:
    /// at most <see cref="MaxConcurrency"/> × (⌊<see cref="Lease"/> / <see cref="ProviderCallTimeout"/>⌋ − 1), at least
    /// <see cref="MaxConcurrency"/>.
    /// </summary>
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
    /// message is retried, never lost. Each provider call first extends the lease by this much (the fence, R29), so it
    /// must be at least twice <see cref="ProviderCallTimeout"/>: a call and the write of its outcome then end before the
    /// lease could lapse. A longer lease also lets one round claim more (see <see cref="BatchSize"/>).
    /// </summary>
    /// <value>The default value is 2 minutes.</value>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The longest the dispatcher waits for one provider call; then the call is cancelled and counts as a transient
    /// failure (code <c>timeout</c>). Keep it at or above the providers' own timeouts (the Twilio and SMTP providers'
    /// <c>Timeout</c>, 15 and 30 seconds by default) so theirs answer first, and at most half of <see cref="Lease"/>.
    /// </summary>
    /// <value>The default value is 45 seconds. Between 1 second and 10 minutes.</value>
    public TimeSpan ProviderCallTimeout { get; set; } = TimeSpan.FromSeconds(45);
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
        if (options.ProviderCallTimeout < TimeSpan.FromSeconds(1) || options.ProviderCallTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{P}ProviderCallTimeout must be between 00:00:01 and 00:10:00; it is {options.ProviderCallTimeout}.");
        }
        else if (options.Lease >= TimeSpan.FromSeconds(5) && options.Lease < options.ProviderCallTimeout * 2)
        {
            failures.Add($"{P}Lease must be at least twice ProviderCallTimeout ({options.ProviderCallTimeout}), so a provider call never outlives its lease; it is {options.Lease}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
