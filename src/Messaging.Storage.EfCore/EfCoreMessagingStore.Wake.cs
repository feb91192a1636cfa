using Messaging.Storage.EfCore.Model;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Messaging.Storage.EfCore;

/// <summary>
/// Cross-instance wake-ups on PostgreSQL (R29): a unit of work that adds outbox entries issues <c>NOTIFY</c> on
/// <see cref="NotifyChannel"/> inside its transaction, so PostgreSQL delivers it only on commit; each dispatching
/// instance <c>LISTEN</c>s on a dedicated connection of its own. SQLite serves one instance, so there is nothing to listen
/// on and the local signal suffices.
/// </summary>
internal sealed partial class EfCoreMessagingStore : IOutboxWakeSource
{
    /// <summary>The notification channel (per database, as PostgreSQL's channels are).</summary>
    internal const string NotifyChannel = "messaging_outbox";

    internal const string NotifySql = "NOTIFY " + NotifyChannel;

    public async Task ListenAsync(Action onCommitted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onCommitted);
        if (!Contexts.IsPostgres)
        {
            return;
        }

        var db = Contexts.Create();
        await using (db.ConfigureAwait(false))
        {
            var connection = ListenConnection(db);
            await using (connection.ConfigureAwait(false))
            {
                connection.Notification += (_, _) => onCommitted();
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                var listen = new NpgsqlCommand("LISTEN " + NotifyChannel, connection);
                await using (listen.ConfigureAwait(false))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                onCommitted(); // commits made while not listening (first start, or a reconnect) were not heard
                while (true)
                {
                    // Returns after each notification; throws when the connection breaks, and on cancellation.
                    await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// A connection of the listener's own: unpooled, so its LISTEN never leaks into a pooled connection, with TCP
    /// keepalives (no queries, so no round trips) so a silently dropped connection is noticed. Where the store's
    /// connection string carries no password (a host that configured <c>db.UseNpgsql(dataSource)</c> with a password
    /// provider, or whose data source keeps the password out of its connection string), a connection built from that
    /// string could not authenticate: the listener then uses a connection of the host's own configuration (its data
    /// source, its password provider), whose reset on return to the pool ends the LISTEN.
    /// </summary>
    private static NpgsqlConnection ListenConnection(MessagingDbContext db)
    {
        var configured = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
        if (string.IsNullOrEmpty(configured.Password) && db.Database.GetDbConnection() is NpgsqlConnection hosts)
        {
            return hosts; // the context (alive while the listener listens) would dispose it too; twice is harmless
        }

        configured.Pooling = false;
        configured.TcpKeepAlive = true;
        configured.TcpKeepAliveTime = 30;
        configured.TcpKeepAliveInterval = 5;
        configured.ApplicationName = "messaging-outbox-listener";
        return new NpgsqlConnection(configured.ConnectionString);
    }
}
