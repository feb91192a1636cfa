using System.Reflection;

namespace Messaging.Testing.Storage;

/// <summary>The store conformance kit: the suites a store must pass, and a check that a test assembly runs them all.</summary>
/// <remarks>
/// To prove a custom <see cref="IMessagingStore"/>, derive one concrete class from each suite in a test project,
/// implementing <see cref="StoreConformanceTests.CreateStoreAsync"/>, and add a test asserting that
/// <see cref="MissingSuites"/> is empty, so a suite added to the kit later is not silently skipped.
/// </remarks>
public static class StoreConformance
{
    /// <summary>Every suite of the kit.</summary>
    public static IReadOnlyList<Type> Suites { get; } =
    [
        typeof(WorkspaceStoreTests),
        typeof(PatientStoreTests),
        typeof(UnitOfWorkStoreTests),
        typeof(ConversationStoreTests),
        typeof(InboxStoreTests),
        typeof(MessageStoreTests),
        typeof(ReplyTokenStoreTests),
        typeof(OutboxStoreTests),
        typeof(CreditStoreTests),
        typeof(AuditStoreTests),
        typeof(TemplateStoreTests),
        typeof(NotificationStoreTests),
        typeof(DirectMessageStoreTests),
        typeof(InternalMessageStoreTests),
        typeof(PatientHistoryStoreTests),
    ];

    /// <summary>The suites with no concrete subclass in <paramref name="testAssembly"/> whose name contains <paramref name="store"/>.</summary>
    /// <param name="testAssembly">The assembly with the host's concrete test classes.</param>
    /// <param name="store">A part of the concrete classes' names that identifies one store (e.g. <c>Sqlite</c>), or empty for any.</param>
    public static IReadOnlyList<Type> MissingSuites(Assembly testAssembly, string store = "")
    {
        ArgumentNullException.ThrowIfNull(testAssembly);
        ArgumentNullException.ThrowIfNull(store);
        var concrete = testAssembly.GetTypes().Where(t => !t.IsAbstract && t.Name.Contains(store, StringComparison.Ordinal)).ToList();
        return [.. Suites.Where(suite => !concrete.Any(suite.IsAssignableFrom))];
    }
}
