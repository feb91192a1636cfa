using Messaging.Storage.EfCore.Model;
using Microsoft.EntityFrameworkCore;

namespace Messaging.Storage.EfCore;

/// <summary>Applies the provider's migrations, and on SQLite turns on WAL journaling (readers never wait for the writer).</summary>
internal sealed class MessagingStoreMigrator(MessagingDbContextFactory contexts)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var db = contexts.Create();
        await using (db.ConfigureAwait(false))
        {
            if (!contexts.IsPostgres)
            {
                // Persistent in the database file; must run outside a transaction.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
            }

            await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
