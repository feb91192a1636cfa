using System.Collections.Concurrent;
using Messaging.Outbox;
using Messaging.Storage.EfCore.Tests.Support;
using Messaging.Testing.Peers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Messaging.Storage.EfCore.Tests.Outbox;

/// <summary>
/// A host that configures Npgsql through an <see cref="NpgsqlDataSource"/> (<c>db.UseNpgsql(dataSource)</c>, as .NET Aspire
/// and the Npgsql docs recommend), with the password from a provider, gives EF Core a connection string without a
/// password; the dispatcher must still LISTEN (R29), authenticated the host's way, rather than fall back to its poll,
/// here an hour. The timeout only turns a hang into a failure.
/// </summary>
public sealed class DataSourceWakeTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>, IAsyncLifetime
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);
    private static readonly OrganisationId Trust = new("ds-trust");
    private static readonly WorkspaceId Workspace = new("ds");
    private static readonly StaffId Sender = new("sender");
    private static readonly PatientId Patient = new("p-1");
    private const string HostApplication = "host-app-with-password-provider";
    private readonly List<ServiceProvider> _instances = [];
    private readonly List<IHostedService> _started = [];
    private NpgsqlDataSource? _dataSource;

    public async Task InitializeAsync()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MESSAGING_POSTGRES")) && !Peers.Required)
        {
            return; // the tests skip
        }

        await database.ResetAsync();
        // The password comes from a provider, as with Azure Entra or AWS IAM tokens: it is in no connection string.
        var withoutPassword = new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = HostApplication };
        var password = withoutPassword.Password;
        withoutPassword.Remove("Password");
        _dataSource = new NpgsqlDataSourceBuilder(withoutPassword.ConnectionString)
            .UsePeriodicPasswordProvider((_, _) => ValueTask.FromResult(password!), TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(5))
            .Build();
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

        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }

    [PeerFact("MESSAGING_POSTGRES")]
    public async Task A_dispatcher_configured_with_a_data_source_is_woken_by_another_instances_send()
    {
        var provider = new SignallingSms();
        var sender = Instance(provider, dispatch: false, db => db.UseNpgsql(database.ConnectionString));
        var dispatcher = Instance(provider, dispatch: true, db => db.UseNpgsql(_dataSource!));
        var conversation = await SeedAsync(sender);
        foreach (var service in dispatcher.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
            _started.Add(service);
        }

        // The listener authenticated the host's way (its data source and password provider), not from a connection string
        // that has no password; this peer trusts local connections, so the application name shows whose settings it used.
        (await ListenerApplicationAsync()).Should().Be(HostApplication);
        var message = await sender.GetRequiredService<IMessageService>().SendAsync(
            Sender, new SendMessageRequest { WorkspaceId = Workspace, Channel = MessageChannel.Sms, ConversationId = conversation, Body = "Through the data source" });
        (await provider.CalledAsync(message.Id.ToString()).WaitAsync(HangGuard)).Should().Be(message.Id.ToString());
    }

    private ServiceProvider Instance(ISmsProvider provider, bool dispatch, Action<DbContextOptionsBuilder> useDatabase)
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
            useDatabase);
        _instances.Add(instance);
        return instance;
    }

    private static async Task<ConversationId> SeedAsync(IServiceProvider instance)
    {
        await instance.GetRequiredService<IWorkspaceService>().CreateOrganisationAsync(new CreateOrganisationRequest
        {
            OrganisationId = Trust, Name = "Data-source trust", DefaultWorkspaceId = Workspace, FirstAdmin = new NewMember(Sender, "sender@ds.example", "Sender"),
        });
        await instance.GetRequiredService<IPatientService>().RegisterAsync(Sender, Workspace, new PatientRegistration
        {
            PatientId = Patient, NhsNumber = "9434765919", DateOfBirth = new NodaTime.LocalDate(1970, 3, 14), GivenName = "Jane", FamilyName = "Doe", Mobile = "07400 123456",
        });
        await instance.GetRequiredService<ICreditService>().PurchaseAsync(Sender, Trust, 100, "INV-1");
        return (await instance.GetRequiredService<IConversationService>().StartAsync(Sender, Workspace, Patient)).Id;
    }

    /// <summary>Waits (bounded by the hang guard) until some backend of this database has run LISTEN; returns its application name.</summary>
    private async Task<string> ListenerApplicationAsync()
    {
        await using var admin = new NpgsqlConnection(database.ConnectionString);
        await admin.OpenAsync();
        var until = DateTime.UtcNow + HangGuard;
        while (DateTime.UtcNow < until)
        {
            await using var query = new NpgsqlCommand(
                "SELECT application_name FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()", admin);
            if (await query.ExecuteScalarAsync() is string application)
            {
                return application;
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
