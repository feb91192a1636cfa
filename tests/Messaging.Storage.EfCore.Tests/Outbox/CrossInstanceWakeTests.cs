using System.Collections.Concurrent;
using Messaging.Outbox;
using Messaging.Storage.EfCore.Tests.Support;
using Messaging.Testing.Peers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Messaging.Storage.EfCore.Tests.Outbox;

/// <summary>
/// R29 on one real PostgreSQL database: a send committed through one instance's store wakes the dispatcher of another
/// instance (LISTEN/NOTIFY), whose poll is an hour. The timeout only turns a hang into a failure.
/// </summary>
public sealed class CrossInstanceWakeTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>, IAsyncLifetime
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);
    private static readonly OrganisationId Trust = new("wake-trust");
    private static readonly WorkspaceId Workspace = new("wake");
    private static readonly StaffId Sender = new("sender");
    private static readonly PatientId Patient = new("p-1");
    private readonly List<ServiceProvider> _instances = [];
    private readonly List<IHostedService> _started = [];
    private readonly List<NpgsqlDataSource> _dataSources = [];

    public async Task InitializeAsync()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MESSAGING_POSTGRES")) && !Peers.Required)
        {
            return; // the tests skip
        }

        await database.ResetAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var service in _started)
        {
            await service.StopAsync(CancellationToken.None);
        }

        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }
    }

    [PeerFact("MESSAGING_POSTGRES")]
    public async Task A_send_committed_in_one_instance_wakes_the_dispatcher_of_another()
    {
        var provider = new SignallingSms();
        var sender = Instance(provider, dispatch: false);
        var dispatcher = Instance(provider, dispatch: true);
        var conversation = await SeedAsync(sender);
        foreach (var service in dispatcher.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
            _started.Add(service);
        }

        await ListenerRegisteredAsync();
        var messages = sender.GetRequiredService<IMessageService>();
        foreach (var n in new[] { 1, 2 })
        {
            var message = await messages.SendAsync(Sender, new SendMessageRequest { WorkspaceId = Workspace, Channel = MessageChannel.Sms, ConversationId = conversation, Body = $"Message {n}" });
            (await provider.CalledAsync(message.Id.ToString()).WaitAsync(HangGuard)).Should().Be(message.Id.ToString());
        }
    }

    [PeerFact("MESSAGING_POSTGRES")]
    public async Task The_listener_reconnects_after_its_connection_is_killed()
    {
        var provider = new SignallingSms();
        var sender = Instance(provider, dispatch: false);
        var dispatcher = Instance(provider, dispatch: true);
        var conversation = await SeedAsync(sender);
        foreach (var service in dispatcher.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
            _started.Add(service);
        }

        var killed = await ListenerRegisteredAsync();
        await using (var admin = new NpgsqlConnection(database.ConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand($"SELECT pg_terminate_backend({killed})", admin);
            await kill.ExecuteScalarAsync();
        }

        await ListenerRegisteredAsync(except: killed); // listening again, after the back-off
        var message = await sender.GetRequiredService<IMessageService>().SendAsync(
            Sender, new SendMessageRequest { WorkspaceId = Workspace, Channel = MessageChannel.Sms, ConversationId = conversation, Body = "After the reconnect" });
        await provider.CalledAsync(message.Id.ToString()).WaitAsync(HangGuard);
    }

    /// <summary>
    /// A host that configures Npgsql through an <see cref="NpgsqlDataSource"/> (<c>db.UseNpgsql(dataSource)</c>, as .NET
    /// Aspire and the Npgsql docs recommend) with its password from a provider (Entra or IAM tokens) gives EF Core a
    /// connection string without a password: the dispatcher must still LISTEN, authenticated the host's way. This peer
    /// trusts local connections, so the application name shows whose settings the listener used.
    /// </summary>
    [PeerFact("MESSAGING_POSTGRES")]
    public async Task A_dispatcher_on_a_data_source_with_a_password_provider_listens_the_hosts_way()
    {
        const string HostApplication = "host-app-with-password-provider";
        var withoutPassword = new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = HostApplication };
        var password = withoutPassword.Password;
        withoutPassword.Remove("Password");
        var dataSource = new NpgsqlDataSourceBuilder(withoutPassword.ConnectionString)
            .UsePeriodicPasswordProvider((_, _) => ValueTask.FromResult(password!), TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(5))
            .Build();
        _dataSources.Add(dataSource);
        var provider = new SignallingSms();
        var sender = Instance(provider, dispatch: false);
        var dispatcher = Instance(provider, dispatch: true, db => db.UseNpgsql(dataSource));
        var conversation = await SeedAsync(sender);
        foreach (var service in dispatcher.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
            _started.Add(service);
        }

        var listener = await ListenerRegisteredAsync(application: HostApplication);
        var message = await sender.GetRequiredService<IMessageService>().SendAsync(
            Sender, new SendMessageRequest { WorkspaceId = Workspace, Channel = MessageChannel.Sms, ConversationId = conversation, Body = "Through the data source" });

        listener.Should().BePositive();
        (await provider.CalledAsync(message.Id.ToString()).WaitAsync(HangGuard)).Should().Be(message.Id.ToString());
    }

    private ServiceProvider Instance(ISmsProvider provider, bool dispatch, Action<DbContextOptionsBuilder>? useDatabase = null)
    {
        var instance = database.BuildServices(
            services =>
            {
                services.AddSingleton(provider);
                services.Configure<OutboxOptions>(o =>
                {
                    o.RunInBackground = dispatch;
                    o.PollInterval = TimeSpan.FromHours(1);
                });
            },
            useDatabase ?? database.UseDatabase);
        _instances.Add(instance);
        return instance;
    }

    private static async Task<ConversationId> SeedAsync(IServiceProvider instance)
    {
        await instance.GetRequiredService<IWorkspaceService>().CreateOrganisationAsync(new CreateOrganisationRequest
        {
            OrganisationId = Trust, Name = "Wake trust", DefaultWorkspaceId = Workspace, FirstAdmin = new NewMember(Sender, "sender@wake.example", "Sender"),
        });
        await instance.GetRequiredService<IPatientService>().RegisterAsync(Sender, Workspace, new PatientRegistration
        {
            PatientId = Patient, NhsNumber = "9434765919", DateOfBirth = new NodaTime.LocalDate(1970, 3, 14), GivenName = "Jane", FamilyName = "Doe", Mobile = "07400 123456",
        });
        await instance.GetRequiredService<ICreditService>().PurchaseAsync(Sender, Trust, 100, "INV-1");
        return (await instance.GetRequiredService<IConversationService>().StartAsync(Sender, Workspace, Patient)).Id;
    }

    /// <summary>Waits (bounded by the hang guard) until a dispatcher's listener (by its application name) has run LISTEN; returns its backend pid.</summary>
    private async Task<int> ListenerRegisteredAsync(int? except = null, string application = "messaging-outbox-listener")
    {
        await using var admin = new NpgsqlConnection(database.ConnectionString);
        await admin.OpenAsync();
        var until = DateTime.UtcNow + HangGuard;
        while (DateTime.UtcNow < until)
        {
            await using var query = new NpgsqlCommand(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = @application AND query LIKE 'LISTEN%' AND pid <> @except",
                admin);
            query.Parameters.AddWithValue("except", except ?? 0);
            query.Parameters.AddWithValue("application", application);
            if (await query.ExecuteScalarAsync() is int pid)
            {
                return pid;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("No dispatcher listened for outbox notifications.");
    }

    private sealed class SignallingSms : ISmsProvider
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _calls = new();

        public string Name => "signalling-sms";

        public Task<string> CalledAsync(string key) => Call(key).Task;

        public Task<ProviderSendResult> SendAsync(SmsSendRequest request, CancellationToken cancellationToken = default)
        {
            Call(request.IdempotencyKey).TrySetResult(request.IdempotencyKey);
            return Task.FromResult(ProviderSendResult.Accepted(Guid.NewGuid().ToString("N")));
        }

        private TaskCompletionSource<string> Call(string key) => _calls.GetOrAdd(key, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
