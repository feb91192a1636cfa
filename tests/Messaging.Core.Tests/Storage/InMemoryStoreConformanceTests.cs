using System.Reflection;
using Messaging.Storage;
using Messaging.Storage.InMemory;
using Messaging.Testing.Storage;

namespace Messaging.Tests.Storage;

// The store conformance kit (Messaging.Testing) run against the in-memory reference store: one class per suite.

public sealed class InMemoryWorkspaceStoreTests : WorkspaceStoreTests
{
    protected override Task<IMessagingStore> CreateStoreAsync() => InMemory.CreateAsync();
}

public sealed class InMemoryPatientStoreTests : PatientStoreTests
{
    protected override Task<IMessagingStore> CreateStoreAsync() => InMemory.CreateAsync();
}

public sealed class InMemoryUnitOfWorkStoreTests : UnitOfWorkStoreTests
{
    protected override Task<IMessagingStore> CreateStoreAsync() => InMemory.CreateAsync();
}

public sealed class InMemoryConversationStoreTests : ConversationStoreTests
{
    protected override Task<IMessagingStore> CreateStoreAsync() => InMemory.CreateAsync();
}

public sealed class InMemoryInboxStoreTests : InboxStoreTests
{
    protected override Task<IMessagingStore> CreateStoreAsync() => InMemory.CreateAsync();
}

public sealed class InMemoryMessageStoreTests : MessageStoreTests
{
    protected override Task<IMessagingStore> CreateStoreAsync() => InMemory.CreateAsync();
}

public sealed class InMemoryReplyTokenStoreTests : ReplyTokenStoreTests
{
    protected override Task<IMessagingStore> CreateStoreAsync() => InMemory.CreateAsync();
}

public sealed class InMemoryOutboxStoreTests : OutboxStoreTests
{
    protected override Task<IMessagingStore> CreateStoreAsync() => InMemory.CreateAsync();
}

public sealed class InMemoryCreditStoreTests : CreditStoreTests
{
    protected override Task<IMessagingStore> CreateStoreAsync() => InMemory.CreateAsync();
}

public sealed class InMemoryAuditStoreTests : AuditStoreTests
{
    protected override Task<IMessagingStore> CreateStoreAsync() => InMemory.CreateAsync();
}

public sealed class InMemoryTemplateStoreTests : TemplateStoreTests
{
    protected override Task<IMessagingStore> CreateStoreAsync() => InMemory.CreateAsync();
}

public sealed class InMemoryNotificationStoreTests : NotificationStoreTests
{
    protected override Task<IMessagingStore> CreateStoreAsync() => InMemory.CreateAsync();
}

public sealed class InMemoryDirectMessageStoreTests : DirectMessageStoreTests
{
    protected override Task<IMessagingStore> CreateStoreAsync() => InMemory.CreateAsync();
}

public sealed class InMemoryInternalMessageStoreTests : InternalMessageStoreTests
{
    protected override Task<IMessagingStore> CreateStoreAsync() => InMemory.CreateAsync();
}

public sealed class InMemoryPatientHistoryStoreTests : PatientHistoryStoreTests
{
    protected override Task<IMessagingStore> CreateStoreAsync() => InMemory.CreateAsync();
}

public sealed class InMemoryStoreConformanceCoverageTests
{
    [Fact]
    public void Every_suite_of_the_kit_runs_against_the_in_memory_store()
        => StoreConformance.MissingSuites(Assembly.GetExecutingAssembly(), "InMemory").Should().BeEmpty();
}

internal static class InMemory
{
    public static Task<IMessagingStore> CreateAsync() => Task.FromResult<IMessagingStore>(new InMemoryMessagingStore());
}
