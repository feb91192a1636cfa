using Messaging.Storage.EfCore.Tests.Support;
using Messaging.Testing.Storage;

namespace Messaging.Storage.EfCore.Tests.Conformance;

// The store conformance kit (Messaging.Testing) against the EF Core store on Sqlite: one class (and database) per suite.

public sealed class SqliteWorkspaceStoreTests(SqliteTestDatabase database) : WorkspaceStoreTests, IClassFixture<SqliteTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

public sealed class SqlitePatientStoreTests(SqliteTestDatabase database) : PatientStoreTests, IClassFixture<SqliteTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

public sealed class SqliteUnitOfWorkStoreTests(SqliteTestDatabase database) : UnitOfWorkStoreTests, IClassFixture<SqliteTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

public sealed class SqliteConversationStoreTests(SqliteTestDatabase database) : ConversationStoreTests, IClassFixture<SqliteTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

public sealed class SqliteInboxStoreTests(SqliteTestDatabase database) : InboxStoreTests, IClassFixture<SqliteTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

public sealed class SqliteMessageStoreTests(SqliteTestDatabase database) : MessageStoreTests, IClassFixture<SqliteTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

public sealed class SqliteReplyTokenStoreTests(SqliteTestDatabase database) : ReplyTokenStoreTests, IClassFixture<SqliteTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

public sealed class SqliteOutboxStoreTests(SqliteTestDatabase database) : OutboxStoreTests, IClassFixture<SqliteTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

public sealed class SqliteCreditStoreTests(SqliteTestDatabase database) : CreditStoreTests, IClassFixture<SqliteTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

public sealed class SqliteAuditStoreTests(SqliteTestDatabase database) : AuditStoreTests, IClassFixture<SqliteTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

public sealed class SqliteTemplateStoreTests(SqliteTestDatabase database) : TemplateStoreTests, IClassFixture<SqliteTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

public sealed class SqliteNotificationStoreTests(SqliteTestDatabase database) : NotificationStoreTests, IClassFixture<SqliteTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

public sealed class SqliteDirectMessageStoreTests(SqliteTestDatabase database) : DirectMessageStoreTests, IClassFixture<SqliteTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

public sealed class SqliteInternalMessageStoreTests(SqliteTestDatabase database) : InternalMessageStoreTests, IClassFixture<SqliteTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}

public sealed class SqlitePatientHistoryStoreTests(SqliteTestDatabase database) : PatientHistoryStoreTests, IClassFixture<SqliteTestDatabase>
{
    protected override Task<IMessagingStore> CreateStoreAsync() => database.ResetAsync();
}
