using Microsoft.Extensions.Options;

namespace Messaging.Health;

/// <summary>
/// Thresholds of the SDK's health checks (<c>AddPatientMessagingChecks()</c>): where the outbox backlog and the age of
/// its oldest due entry turn the outbox check degraded and then unhealthy, and how stale the dispatcher's heartbeat may
/// be. Bound from <c>Messaging:HealthChecks</c> by convention; validated at start-up.
/// </summary>
public sealed class MessagingHealthCheckOptions
{
    /// <summary>The configuration section the host conventionally binds these options from.</summary>
    public const string SectionName = "Messaging:HealthChecks";

    /// <summary>Due outbox entries at which the outbox check reports degraded.</summary>
    /// <value>The default value is 1,000.</value>
    public int BacklogDegraded { get; set; } = 1_000;

    /// <summary>Due outbox entries at which the outbox check reports unhealthy.</summary>
    /// <value>The default value is 10,000.</value>
    public int BacklogUnhealthy { get; set; } = 10_000;

    /// <summary>How long the oldest due entry may have waited before the outbox check reports degraded.</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan OldestDueDegraded { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long the oldest due entry may have waited before the outbox check reports unhealthy.</summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan OldestDueUnhealthy { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long since the dispatcher's last completed round before the dispatcher check reports degraded;
    /// <see langword="null"/> for the larger of three poll intervals and one lease (a round may take up to a lease).
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public TimeSpan? DispatcherDegradedAfter { get; set; }

    /// <summary>
    /// How long since the dispatcher's last completed round before the dispatcher check reports unhealthy;
    /// <see langword="null"/> for twice the degraded threshold.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public TimeSpan? DispatcherUnhealthyAfter { get; set; }
}

/// <summary>Validates <see cref="MessagingHealthCheckOptions"/>, naming each bad setting.</summary>
internal sealed class MessagingHealthCheckOptionsValidator : IValidateOptions<MessagingHealthCheckOptions>
{
    public ValidateOptionsResult Validate(string? name, MessagingHealthCheckOptions options)
    {
        const string P = MessagingHealthCheckOptions.SectionName + ":";
        var failures = new List<string>();
        if (options.BacklogDegraded < 1) failures.Add($"{P}BacklogDegraded must be at least 1; it is {options.BacklogDegraded}.");
        if (options.BacklogUnhealthy < options.BacklogDegraded) failures.Add($"{P}BacklogUnhealthy must be at least BacklogDegraded ({options.BacklogDegraded}); it is {options.BacklogUnhealthy}.");
        if (options.OldestDueDegraded <= TimeSpan.Zero) failures.Add($"{P}OldestDueDegraded must be positive; it is {options.OldestDueDegraded}.");
        if (options.OldestDueUnhealthy < options.OldestDueDegraded) failures.Add($"{P}OldestDueUnhealthy must be at least OldestDueDegraded ({options.OldestDueDegraded}); it is {options.OldestDueUnhealthy}.");
        if (options.DispatcherDegradedAfter is { } degraded && degraded <= TimeSpan.Zero) failures.Add($"{P}DispatcherDegradedAfter must be positive; it is {degraded}.");
        if (options.DispatcherUnhealthyAfter is { } unhealthy && unhealthy < (options.DispatcherDegradedAfter ?? TimeSpan.Zero))
        {
            failures.Add($"{P}DispatcherUnhealthyAfter must be at least DispatcherDegradedAfter ({options.DispatcherDegradedAfter}); it is {unhealthy}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
