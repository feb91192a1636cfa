using System.Reflection;

namespace Messaging.Testing.Providers;

/// <summary>The provider conformance kit: its suites, the wait a throttling server asks for, and a check that a test assembly runs every suite.</summary>
/// <remarks>
/// To prove a provider, derive one concrete class from each suite for the contracts it implements
/// (<see cref="SmsProviderConformanceTests"/> for <see cref="ISmsProvider"/>, <see cref="EmailProviderConformanceTests"/> for
/// <see cref="IEmailProvider"/>, <see cref="ProviderWebhookConformanceTests"/> for <see cref="IProviderWebhookHandler"/>)
/// and add a test asserting that <see cref="MissingSuites"/> is empty, so a suite added to the kit later is not skipped.
/// </remarks>
public static class ProviderConformance
{
    private static readonly (Type Suite, Type Contract)[] All =
    [
        (typeof(SmsProviderConformanceTests), typeof(ISmsProvider)),
        (typeof(EmailProviderConformanceTests), typeof(IEmailProvider)),
        (typeof(ProviderWebhookConformanceTests), typeof(IProviderWebhookHandler)),
    ];

    /// <summary>How long a server answering <see cref="ProviderAnswer.Throttle"/> asks to wait (e.g. <c>Retry-After: 37</c>): 37 seconds.</summary>
    public static TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(37);

    /// <summary>
    /// Every suite of the kit. <see cref="EmailStatusReportingConformanceTests"/> is for email providers whose delivery
    /// reports do not come by webhook (SMTP), so <see cref="MissingSuites"/> does not ask every email provider for it.
    /// </summary>
    public static IReadOnlyList<Type> Suites { get; } = [.. All.Select(s => s.Suite), typeof(EmailStatusReportingConformanceTests)];

    /// <summary>
    /// The suites for <paramref name="contracts"/> with no concrete subclass in <paramref name="testAssembly"/> whose name
    /// contains <paramref name="provider"/>.
    /// </summary>
    /// <param name="testAssembly">The assembly with your concrete test classes.</param>
    /// <param name="provider">A part of the concrete classes' names that identifies the provider (e.g. <c>Twilio</c>), or empty for any.</param>
    /// <param name="contracts">What the provider implements: <see cref="ISmsProvider"/>, <see cref="IEmailProvider"/>, <see cref="IProviderWebhookHandler"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="contracts"/> is empty or names a type no suite is for.</exception>
    public static IReadOnlyList<Type> MissingSuites(Assembly testAssembly, string provider, IReadOnlyCollection<Type> contracts)
    {
        ArgumentNullException.ThrowIfNull(testAssembly);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(contracts);
        if (contracts.Count == 0 || contracts.Any(c => !All.Any(s => s.Contract == c)))
        {
            throw new ArgumentException(
                $"Name the contracts the provider implements, from: {string.Join(", ", All.Select(s => s.Contract.Name))}.", nameof(contracts));
        }

        var concrete = testAssembly.GetTypes().Where(t => !t.IsAbstract && t.Name.Contains(provider, StringComparison.Ordinal)).ToList();
        return [.. All.Where(s => contracts.Contains(s.Contract) && !concrete.Any(s.Suite.IsAssignableFrom)).Select(s => s.Suite)];
    }
}
