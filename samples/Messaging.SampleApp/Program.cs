// The Patient Messaging SDK in a small EHR-like app that runs with no credentials:
//   dotnet run --project samples/Messaging.SampleApp     then open http://127.0.0.1:5080
// SMS and email go to the "dev phone" and "dev mailbox" pages unless Messaging:Twilio / Messaging:Smtp are configured
// (see README.md): real providers are one configuration change away.
using Messaging;
using Messaging.SampleApp;
using Messaging.SampleApp.Dev;
using Messaging.SampleApp.Ui;
using Microsoft.EntityFrameworkCore;

var builder = WebApplication.CreateBuilder(args);
var configuration = builder.Configuration;

// Every core option (Messaging, Messaging:Outbox, :Attachments, :SystemEmails, :Templates, :DirectMessages) is bound
// from configuration; the action runs afterwards and fills in what configuration leaves out.
var messaging = builder.Services.AddPatientMessaging(configuration.GetSection(PatientMessagingOptions.SectionName), options =>
{
    // Links in SMS and email must reach this app: by default, the address it listens on, under /m/.
    options.PublicBaseUrl ??= new Uri(FirstUrl(configuration) + "/m/");

    // The key reply links, download links and access codes are derived from (Messaging:LinkKey), kept outside the
    // database; for development the sample makes one in App_Data, like the pepper below.
    options.LinkKey ??= DevSecrets.LinkKey(builder.Environment.ContentRootPath);
});

// Storage: SQLite and attachment files in App_Data, kept between runs; ConnectionStrings:Messaging and
// Messaging:AttachmentsPath put them elsewhere. (Several instances would share PostgreSQL: db.UseNpgsql(connectionString).)
var appData = Path.Combine(builder.Environment.ContentRootPath, "App_Data");
var database = configuration.GetConnectionString("Messaging");
if (database is null)
{
    Directory.CreateDirectory(appData);
    database = $"Data Source={Path.Combine(appData, "messaging.db")}";
}

messaging.AddEntityFrameworkStore(db => db.UseSqlite(database));
messaging.AddFileSystemAttachmentStore(configuration["Messaging:AttachmentsPath"] ?? Path.Combine(appData, "attachments"));

// Providers: real Twilio and SMTP when configured, otherwise the dev phone and dev mailbox.
var twilio = configuration.GetSection("Messaging:Twilio");
if (twilio.Exists())
{
    messaging.AddTwilioSms(twilio);
}
else
{
    builder.Services.AddSingleton<DevPhone>();
    builder.Services.AddSingleton<ISmsProvider>(sp => sp.GetRequiredService<DevPhone>());
}

var smtp = configuration.GetSection("Messaging:Smtp");
if (smtp.Exists())
{
    messaging.AddSmtpEmail(smtp);
}
else
{
    builder.Services.AddSingleton<DevMailbox>();
    builder.Services.AddSingleton<IEmailProvider>(sp => sp.GetRequiredService<DevMailbox>());
}

// Direct Messages need a pepper kept outside the database (Messaging:DirectMessages:Pepper). The sample makes one for
// this machine on first run; a real host keeps it in its secret store.
messaging.AddDirectMessages(options => options.Pepper ??= DevSecrets.Pepper(builder.Environment.ContentRootPath));

// The patient pages (reply, download links) and Twilio webhooks, styled by Messaging:Web.
messaging.AddWebEndpoints(configuration.GetSection("Messaging:Web"));

var app = builder.Build();
await app.Services.MigrateMessagingStoreAsync(); // creates or upgrades the schema before anything reads it
await SampleData.SeedAsync(app.Services);

app.UseAntiforgery();
app.MapPatientMessaging("/m");   // the reply page, download links and Twilio webhooks, under PublicBaseUrl
StaffPages.Map(app);
SecurePages.Map(app);
ManagePages.Map(app);
WorkspacePages.Map(app);
DevPages.Map(app);
app.MapGet("/sample.css", () => Results.Text(Ui.Stylesheet, "text/css"));
await app.RunAsync();

static string FirstUrl(IConfiguration configuration)
    => (configuration["urls"] ?? "http://127.0.0.1:5080").Split(';', StringSplitOptions.RemoveEmptyEntries)[0].TrimEnd('/');

/// <summary>The sample's entry point; public so the browser tests can start it in-process.</summary>
public partial class Program;
