using Messaging.Storage.EfCore.Tests.Support;
using Messaging.Testing.Storage;

namespace Messaging.Storage.EfCore.Tests.Conformance;

// The store conformance kit (Messaging.Testing) against the EF Core store on Postgres: one class (and database) per suite.

[PostgresPeer]
public sealed class PostgresWorkspaceStoreTests(PostgresTestDatabase database) : WorkspaceStoreTests, IClassFixture<PostgresTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

[PostgresPeer]
public sealed class PostgresPatientStoreTests(PostgresTestDatabase database) : PatientStoreTests, IClassFixture<PostgresTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

[PostgresPeer]
public sealed class PostgresUnitOfWorkStoreTests(PostgresTestDatabase database) : UnitOfWorkStoreTests, IClassFixture<PostgresTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

[PostgresPeer]
public sealed class PostgresConversationStoreTests(PostgresTestDatabase database) : ConversationStoreTests, IClassFixture<PostgresTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

[PostgresPeer]
public sealed class PostgresInboxStoreTests(PostgresTestDatabase database) : InboxStoreTests, IClassFixture<PostgresTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

[PostgresPeer]
public sealed class PostgresMessageStoreTests(PostgresTestDatabase database) : MessageStoreTests, IClassFixture<PostgresTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

[PostgresPeer]
public sealed class PostgresReplyTokenStoreTests(PostgresTestDatabase database) : ReplyTokenStoreTests, IClassFixture<PostgresTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

[PostgresPeer]
public sealed class PostgresOutboxStoreTests(PostgresTestDatabase database) : OutboxStoreTests, IClassFixture<PostgresTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

[PostgresPeer]
public sealed class PostgresCreditStoreTests(PostgresTestDatabase database) : CreditStoreTests, IClassFixture<PostgresTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

[PostgresPeer]
public sealed class PostgresAuditStoreTests(PostgresTestDatabase database) : AuditStoreTests, IClassFixture<PostgresTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

[PostgresPeer]
public sealed class PostgresTemplateStoreTests(PostgresTestDatabase database) : TemplateStoreTests, IClassFixture<PostgresTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

[PostgresPeer]
public sealed class PostgresNotificationStoreTests(PostgresTestDatabase database) : NotificationStoreTests, IClassFixture<PostgresTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

[PostgresPeer]
public sealed class PostgresDirectMessageStoreTests(PostgresTestDatabase database) : DirectMessageStoreTests, IClassFixture<PostgresTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

[PostgresPeer]
public sealed class PostgresInternalMessageStoreTests(PostgresTestDatabase database) : InternalMessageStoreTests, IClassFixture<PostgresTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

[PostgresPeer]
public sealed class PostgresPatientHistoryStoreTests(PostgresTestDatabase database) : PatientHistoryStoreTests, IClassFixture<PostgresTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}
