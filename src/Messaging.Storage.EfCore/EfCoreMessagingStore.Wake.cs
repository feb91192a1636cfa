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

        var connection = new NpgsqlConnection(ListenConnectionString());
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

    /// <summary>
    /// The store's connection string, for a connection of its own: unpooled, so its LISTEN never leaks into a pooled
    /// connection, with TCP keepalives (no queries, so no round trips) so a silently dropped connection is noticed.
    /// </summary>
    private string ListenConnectionString()
    {
        using var db = Contexts.Create();
        var builder = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString())
        {
            Pooling = false,
            TcpKeepAlive = true,
            TcpKeepAliveTime = 30,
            TcpKeepAliveInterval = 5,
            ApplicationName = "messaging-outbox-listener",
        };
        return builder.ConnectionString;
    }
}
