using Messaging.Outbox;
using Messaging.Storage.EfCore.Tests.Support;
using Messaging.Testing.Fakes;
using Messaging.Testing.Peers;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;

namespace Messaging.Storage.EfCore.Tests.Flows;

/// <summary>
/// Issue 16: staff notification emails survive a crash. One host commits an internal message and dies before any email
/// goes out; a new host over the same database sends every recipient's email, once.
/// </summary>
public abstract class StaffNotificationCrashTests(TestDatabase database) : IAsyncLifetime
{
    private static readonly OrganisationId Trust = new("crash-trust");
    private static readonly WorkspaceId Workspace = new("crash-ws");
    private static readonly StaffId Bob = new("bob"), Alice = new("alice"), Carol = new("carol");

    protected abstract bool Available { get; }

    public async Task InitializeAsync()
    {
        if (Available)
        {
            await database.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private ServiceProvider Host(FakeEmailProvider email) => database.BuildServices(services =>
    {
        services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2026, 11, 23, 9, 0)));
        services.AddSingleton<IEmailProvider>(email);
        services.Configure<OutboxOptions>(o => o.RunInBackground = false);
    });

    protected async Task Emails_queued_by_a_host_that_died_are_sent_by_the_next_one()
    {
        var crashedEmail = new FakeEmailProvider();
        ConversationId thread;
        await using (var crashed = Host(crashedEmail))
        {
            var workspaces = crashed.GetRequiredService<IWorkspaceService>();
            await workspaces.CreateOrganisationAsync(new CreateOrganisationRequest
            {
                OrganisationId = Trust, Name = "Crash NHS Trust", DefaultWorkspaceId = Workspace, FirstAdmin = new NewMember(Bob, "bob@trust.example", "Bob Brown"),
            });
            await workspaces.AddMemberAsync(Bob, Workspace, new NewMember(Alice, "alice@trust.example", "Alice Adams"));
            await workspaces.AddMemberAsync(Bob, Workspace, new NewMember(Carol, "carol@trust.example", "Carol Clark"));
            thread = (await crashed.GetRequiredService<IInternalMessageService>().SendAsync(Bob, new SendInternalMessageRequest
            {
                WorkspaceId = Workspace, Recipients = [Alice, Carol], Body = "Clinic moved to room 4.",
            })).Thread.Id;

            // The host dies here: committed, nothing dispatched.
        }

        var email = new FakeEmailProvider();
        await using var next = Host(email);
        await next.GetRequiredService<IOutboxDispatcher>().DispatchDueAsync();
        await next.GetRequiredService<IOutboxDispatcher>().DispatchDueAsync();

        crashedEmail.Calls.Should().Be(0);
        email.Accepted.Select(e => e.To.Value).Should().BeEquivalentTo(["alice@trust.example", "carol@trust.example"]);
        email.Accepted.Select(e => e.IdempotencyKey).Should().OnlyHaveUniqueItems();
        (await next.GetRequiredService<IInternalMessageService>().GetThreadAsync(Alice, thread)).Messages.Should().ContainSingle();
    }
}

public sealed class SqliteStaffNotificationCrashTests(SqliteTestDatabase database) : StaffNotificationCrashTests(database), IClassFixture<SqliteTestDatabase>
{
    protected override bool Available => true;

    [Fact]
    public Task Emails_queued_by_a_host_that_died_are_sent_by_the_next() => Emails_queued_by_a_host_that_died_are_sent_by_the_next_one();
}

public sealed class PostgresStaffNotificationCrashTests(PostgresTestDatabase database) : StaffNotificationCrashTests(database), IClassFixture<PostgresTestDatabase>
{
    protected override bool Available => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MESSAGING_POSTGRES")) || Peers.Required;

    [PeerFact("MESSAGING_POSTGRES")]
    public Task Emails_queued_by_a_host_that_died_are_sent_by_the_next() => Emails_queued_by_a_host_that_died_are_sent_by_the_next_one();
}
