using Messaging.Storage.EfCore.Tests.Support;
using Messaging.Testing.Peers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Messaging.Storage.EfCore.Tests.Health;

/// <summary>
/// R34 against real PostgreSQL: the store and outbox checks are healthy on a running database and the store check is
/// unhealthy when the database is not there (a server that is stopped: nothing listens on its port), saying so without a
/// connection detail.
/// </summary>
public sealed class StoreHealthCheckTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MESSAGING_POSTGRES")) && !Peers.Required)
        {
            return; // the tests skip
        }

        await database.ResetAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [PeerFact("MESSAGING_POSTGRES")]
    public async Task The_store_and_outbox_checks_are_healthy_on_a_running_database()
    {
        await using var services = database.BuildServices(s => s.AddHealthChecks().AddPatientMessagingChecks(), database.UseDatabase);

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name is "messaging-store" or "messaging-outbox");

        report.Entries["messaging-store"].Status.Should().Be(HealthStatus.Healthy);
        report.Entries["messaging-outbox"].Status.Should().Be(HealthStatus.Healthy);
        report.Entries["messaging-outbox"].Data["due"].Should().Be(0, "the EF store reads the backlog (IOutboxBacklogReader)");
    }

    [PeerFact("MESSAGING_POSTGRES")]
    public async Task The_store_check_is_unhealthy_when_the_database_is_stopped_and_names_no_connection_detail()
    {
        var stopped = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = FreePort(), Timeout = 3 }.ConnectionString;
        await using var services = database.BuildServices(s => s.AddHealthChecks().AddPatientMessagingChecks(), db => db.UseNpgsql(stopped));

        var entry = (await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == "messaging-store")).Entries["messaging-store"];

        entry.Status.Should().Be(HealthStatus.Unhealthy);
        entry.Description.Should().StartWith("The store did not answer").And.NotContain("127.0.0.1").And.NotContain("postgres");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port; // closed again at once: nothing listens there
    }
}
