// The pack test's consumer: built by tools/pack-test.sh in a fresh console project outside the repository, against
// the packed Messaging.Core and Messaging.Storage.EfCore from a local feed. It runs the root README's "A taste"
// snippet on SQLite, seeding what the snippet assumes through the public API only, and exits non-zero on any failure.
using System.Reflection;
using Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

// Arguments: the folder for the database file, and the version the packages were packed as (checked when given).
var database = Path.Combine(args.Length > 0 ? args[0] : Path.GetTempPath(), "pack-test-messaging.db");
if (File.Exists(database))
{
    File.Delete(database);
}

// The README reads Messaging:LinkKey from the host's secrets; here a fixed test key (base64 of 32 bytes) stands in.
const string LinkKey = "bGluay1rZXktZm9yLXRlc3RzLW9ubHktMzItYnl0ZXMhIQ==";

try
{
    var services = new ServiceCollection().AddLogging();

    // --- The README's "A taste", with the EF Core store on SQLite ---
    services.AddPatientMessaging(o =>
            {
                o.PublicBaseUrl = new Uri("https://ehr.example.nhs.uk/m/");
                o.LinkKey = LinkKey;
            })
            .AddEntityFrameworkStore(db => db.UseSqlite($"Data Source={database}"));

    await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    await provider.MigrateMessagingStoreAsync();

    var workspaces = provider.GetRequiredService<IWorkspaceService>();
    var patients = provider.GetRequiredService<IPatientService>();
    var conversations = provider.GetRequiredService<IConversationService>();
    var inbox = provider.GetRequiredService<IInboxService>();

    // --- What the snippet assumes: an organisation, a team workspace with a shared inbox, its team, a patient ---
    var staffId = new StaffId("dr-ahmed");
    var workspaceId = new WorkspaceId("derm");
    await workspaces.CreateOrganisationAsync(new CreateOrganisationRequest
    {
        OrganisationId = new OrganisationId("northshire"), Name = "Northshire NHS Trust", DefaultWorkspaceId = new WorkspaceId("northshire-default"),
        FirstAdmin = new NewMember(staffId, "dr.ahmed@northshire.example", "Dr Ahmed", WorkspaceRole.Admin),
    });
    await workspaces.CreateTeamWorkspaceAsync(staffId, new CreateTeamWorkspaceRequest
    {
        OrganisationId = new OrganisationId("northshire"), WorkspaceId = workspaceId, Name = "Dermatology", HasSharedInbox = true,
    });
    await workspaces.CreateTeamAsync(staffId, workspaceId, new TeamId("derm-nurses"), "Dermatology nurses", [staffId]);
    await patients.RegisterAsync(staffId, workspaceId, new PatientRegistration
    {
        PatientId = new PatientId("p-1"), NhsNumber = "9434765919", DateOfBirth = new LocalDate(1970, 3, 14), GivenName = "Jane", FamilyName = "Doe",
        Mobile = "07400 123456",
    });

    // --- The snippet, as the README has it ---
    // A clinician finds the patient by NHS number and date of birth (both must match) …
    var patient = await patients.FindAsync(staffId, workspaceId, "943 476 5919", new LocalDate(1970, 3, 14));

    // … starts a conversation (assigned to them), and hands it to the team.
    var conversation = await conversations.StartAsync(staffId, workspaceId, patient.Id);
    await conversations.AssignAsync(staffId, conversation.Id, Assignee.Team(new TeamId("derm-nurses")));

    // The shared inbox: newest activity first, keyset-paginated, with unread state per member.
    var page = await inbox.GetPageAsync(staffId, new InboxRequest
    {
        WorkspaceId = workspaceId,
        View = InboxView.AssignedTo(new TeamId("derm-nurses")),
        Status = ConversationStatusFilter.Open,
    });

    // --- What it must have done ---
    Check(patient.Id == new PatientId("p-1"), "the patient found is the one registered");
    var item = page.Items.SingleOrDefault();
    Check(item is not null && item.Conversation.Id == conversation.Id, $"the team's inbox page holds the conversation (it holds {page.Items.Count})");
    Check(item!.Conversation.Assignee == Assignee.Team(new TeamId("derm-nurses")), "the conversation is assigned to the team");

    // A second provider over the same file sees the same data: it really went to SQLite.
    var again = new ServiceCollection().AddLogging();
    again.AddPatientMessaging(o =>
            {
                o.PublicBaseUrl = new Uri("https://ehr.example.nhs.uk/m/");
                o.LinkKey = LinkKey;
            })
         .AddEntityFrameworkStore(db => db.UseSqlite($"Data Source={database}"));
    await using (var second = again.BuildServiceProvider())
    {
        var reread = await second.GetRequiredService<IConversationService>().GetAsync(staffId, conversation.Id);
        Check(reread.Assignee == Assignee.Team(new TeamId("derm-nurses")), "the assignment is in the SQLite database");
    }

    // The assemblies must be the ones built for this version (pack --no-build takes whatever was built last).
    var version = typeof(PatientMessagingOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
    Check(args.Length < 2 || version?.Split('+')[0] == args[1], $"Messaging.Core's assembly says version {version}, its package {args[1]}: build again before packing");
    Console.WriteLine($"pack test: OK - Messaging.Core {version} from its package: "
        + $"README snippet ran on SQLite ({page.Items.Count} conversation in the team inbox)");
    return 0;
}
catch (Exception e)
{
    Console.Error.WriteLine($"pack test: FAILED - {e}");
    return 1;
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    foreach (var file in new[] { database, database + "-wal", database + "-shm" })
    {
        if (File.Exists(file))
        {
            File.Delete(file);
        }
    }
}

static void Check(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException("check failed: " + what);
    }
}
