using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Serialization;
using Messaging.Providers.Twilio.Webhooks;
using Messaging.Testing.Peers;
using Messaging.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;

namespace Messaging.AspNetCore.Tests.Routing;

/// <summary>
/// One host serving several organisations (R26), configured as appsettings.json would configure it: named Twilio
/// registrations against Prism serving Twilio's spec (two accounts, and one whose base URL is a refused port), named SMTP
/// registrations against the real SMTP sink (two sender addresses), a named NHS Notify registration against Prism serving
/// NHS Notify's spec, and <c>Messaging:Routes</c> giving each organisation its ordered providers. Every HTTP request a
/// provider makes is recorded (client name, URL, auth, body) on its way to the mock.
/// </summary>
public sealed class RoutedWorld : IAsyncDisposable
{
    public const string TwilioVariable = "MESSAGING_TWILIO_BASE_URL";
    public const string NhsNotifyVariable = "MESSAGING_NHSNOTIFY_BASE_URL";
    public const string SmtpHostVariable = "MESSAGING_SMTP_HOST";
    public const string SmtpPortVariable = "MESSAGING_SMTP_PORT";
    public const string SmtpApiVariable = "MESSAGING_SMTP_API";

    public static readonly Uri PublicBaseUrl = new("https://ehr.example.nhs.uk/m/");

    public const string NorthshireSid = "AC11111111111111111111111111111111";
    public const string NorthshireToken = "northshire-auth-token-0123456789ab";
    public const string RiversideSid = "AC22222222222222222222222222222222";
    public const string RiversideToken = "riverside-auth-token-0123456789abc";
    public const string NorthshireFrom = "northshire-clinic@northshire.example.nhs.uk";
    public const string RiversideFrom = "reception@riverside.example.org";

    /// <summary>Each organisation of the host: its id, default workspace, admin and patient.</summary>
    public static readonly Tenant Northshire = new("northshire-trust", "ns-admin", "ns-p1", "+447400100001", "ns.patient@example.com");
    public static readonly Tenant Riverside = new("riverside-clinic", "rc-admin", "rc-p1", "+447400100002", "rc.patient@example.com");
    public static readonly Tenant Fallback = new("fallback-trust", "fb-admin", "fb-p1", "+447400100003", "fb.patient@example.com");
    public static readonly Tenant ToNotify = new("notify-trust", "nt-admin", "nt-p1", "+447400100004", "nt.patient@example.com");
    public static readonly Tenant Unrouted = new("unrouted-practice", "up-admin", "up-p1", "+447400100005", "up.patient@example.com");

    public static IReadOnlyList<Tenant> Organisations { get; } = [Northshire, Riverside, Fallback, ToNotify, Unrouted];

    private RoutedWorld(WebApplication app, RequestRecorder recorder)
    {
        App = app;
        Requests = recorder;
        Client = app.GetTestClient();
        Client.BaseAddress = new Uri("http://localhost/");
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public HttpClient Client { get; }

    /// <summary>Every request the providers made, in order.</summary>
    public RequestRecorder Requests { get; }

    /// <summary>The host's configuration, as appsettings.json would give it.</summary>
    public static Dictionary<string, string?> Settings()
    {
        // Without the peers (start-up tests), addresses nobody listens on: nothing is sent before validation refuses.
        static string Peer(string variable, string fallback) => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : fallback;
        var twilio = Peer(TwilioVariable, "http://127.0.0.1:9");
        return new Dictionary<string, string?>
        {
            ["Messaging:PublicBaseUrl"] = PublicBaseUrl.AbsoluteUri,
            ["Messaging:LinkKey"] = TestSecrets.LinkKey,
            ["Messaging:Outbox:RunInBackground"] = "false",

            ["Messaging:Providers:Twilio:northshire:AccountSid"] = NorthshireSid,
            ["Messaging:Providers:Twilio:northshire:AuthToken"] = NorthshireToken,
            ["Messaging:Providers:Twilio:northshire:From"] = "+447700900111",
            ["Messaging:Providers:Twilio:northshire:BaseUrl"] = twilio,
            ["Messaging:Providers:Twilio:riverside:AccountSid"] = RiversideSid,
            ["Messaging:Providers:Twilio:riverside:AuthToken"] = RiversideToken,
            ["Messaging:Providers:Twilio:riverside:From"] = "Riverside",
            ["Messaging:Providers:Twilio:riverside:BaseUrl"] = twilio,
            ["Messaging:Providers:Twilio:broken:AccountSid"] = "AC33333333333333333333333333333333",
            ["Messaging:Providers:Twilio:broken:AuthToken"] = "broken-auth-token-0123456789abcdef",
            ["Messaging:Providers:Twilio:broken:From"] = "+447700900333",
            ["Messaging:Providers:Twilio:broken:BaseUrl"] = $"http://127.0.0.1:{PortNobodyListensOn()}",

            ["Messaging:Providers:Smtp:northshire:Host"] = Peer(SmtpHostVariable, "127.0.0.1"),
            ["Messaging:Providers:Smtp:northshire:Port"] = Peer(SmtpPortVariable, "9"),
            ["Messaging:Providers:Smtp:northshire:TlsMode"] = "None",
            ["Messaging:Providers:Smtp:northshire:FromAddress"] = NorthshireFrom,
            ["Messaging:Providers:Smtp:northshire:FromName"] = "Northshire NHS Trust",
            ["Messaging:Providers:Smtp:riverside:Host"] = Peer(SmtpHostVariable, "127.0.0.1"),
            ["Messaging:Providers:Smtp:riverside:Port"] = Peer(SmtpPortVariable, "9"),
            ["Messaging:Providers:Smtp:riverside:TlsMode"] = "None",
            ["Messaging:Providers:Smtp:riverside:FromAddress"] = RiversideFrom,

            ["Messaging:Providers:NhsNotify:notify:BaseUrl"] = Peer(NhsNotifyVariable, "http://127.0.0.1:9"),
            ["Messaging:Providers:NhsNotify:notify:ApiKey"] = "notify-trust-api-key",
            ["Messaging:Providers:NhsNotify:notify:ApplicationId"] = "notify-trust-app",

            ["Messaging:Routes:Organisations:northshire-trust:Sms:0"] = "northshire-twilio",
            ["Messaging:Routes:Organisations:northshire-trust:Email:0"] = "northshire-smtp",
            ["Messaging:Routes:Organisations:riverside-clinic:Sms:0"] = "riverside-twilio",
            ["Messaging:Routes:Organisations:riverside-clinic:Email:0"] = "riverside-smtp",
            ["Messaging:Routes:Organisations:fallback-trust:Sms:0"] = "broken-twilio",
            ["Messaging:Routes:Organisations:fallback-trust:Sms:1"] = "northshire-twilio",
            ["Messaging:Routes:Organisations:notify-trust:Sms:0"] = "broken-twilio",
            ["Messaging:Routes:Organisations:notify-trust:Sms:1"] = "notify-trust-notify",
        };
    }

    public static async Task<RoutedWorld> StartAsync(Action<Dictionary<string, string?>>? change = null)
    {
        var settings = Settings();
        change?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2026, 12, 1, 9, 0), Duration.FromSeconds(1)));
        var recorder = new RequestRecorder();
        var messaging = builder.Services.AddPatientMessaging(configuration.GetSection("Messaging"));
        messaging
            .AddInMemoryStore()
            .AddTwilioSms("northshire-twilio", configuration.GetSection("Messaging:Providers:Twilio:northshire"))
            .AddTwilioSms("riverside-twilio", configuration.GetSection("Messaging:Providers:Twilio:riverside"))
            .AddTwilioSms("broken-twilio", configuration.GetSection("Messaging:Providers:Twilio:broken"))
            .AddSmtpEmail("northshire-smtp", configuration.GetSection("Messaging:Providers:Smtp:northshire"))
            .AddSmtpEmail("riverside-smtp", configuration.GetSection("Messaging:Providers:Smtp:riverside"))
            .AddNhsNotify("notify-trust-notify", configuration.GetSection("Messaging:Providers:NhsNotify:notify"))
            .AddWebEndpoints(o => o.SiteName = "Shared EHR");
        builder.Services.ConfigureAll<HttpClientFactoryOptions>(o => o.HttpMessageHandlerBuilderActions.Add(b => b.AdditionalHandlers.Add(new RecordingHandler(b.Name ?? "", recorder))));

        var app = builder.Build();
        app.MapPatientMessaging("/m");
        await app.StartAsync();
        var world = new RoutedWorld(app, recorder);
        await world.SeedAsync();
        return world;
    }

    private async Task SeedAsync()
    {
        var workspaces = Services.GetRequiredService<IWorkspaceService>();
        var patients = Services.GetRequiredService<IPatientService>();
        var credits = Services.GetRequiredService<ICreditService>();
        foreach (var organisation in Organisations)
        {
            await workspaces.CreateOrganisationAsync(new CreateOrganisationRequest
            {
                OrganisationId = organisation.Id,
                Name = organisation.Id.Value,
                DefaultWorkspaceId = organisation.Workspace,
                FirstAdmin = new NewMember(organisation.Admin, $"{organisation.Admin.Value}@staff.example.org", "Admin"),
            });
            await patients.RegisterAsync(organisation.Admin, organisation.Workspace, new PatientRegistration
            {
                PatientId = organisation.Patient,
                DateOfBirth = new LocalDate(1980, 1, 1),
                GivenName = "Pat",
                FamilyName = "Ient",
                Mobile = organisation.Mobile,
                Email = organisation.Email,
            });
            await credits.PurchaseAsync(organisation.Admin, organisation.Id, 50, "INV-" + organisation.Id.Value);
        }
    }

    /// <summary>The organisation's admin sends its patient a message; the outbox dispatches it; returns the stored message.</summary>
    public async Task<Message> SendAsync(Tenant organisation, MessageChannel channel, string body = "Your appointment is on Tuesday at 10:00.")
    {
        var message = await QueueAsync(organisation, channel, body);
        await Services.GetRequiredService<IOutboxDispatcher>().DispatchDueAsync();
        return await MessageAsync(message.Id);
    }

    public Task<Message> QueueAsync(Tenant organisation, MessageChannel channel, string body = "Your appointment is on Tuesday at 10:00.")
        => Services.GetRequiredService<IMessageService>().SendAsync(organisation.Admin, new SendMessageRequest
        {
            WorkspaceId = organisation.Workspace,
            PatientId = organisation.Patient,
            Channel = channel,
            Subject = channel == MessageChannel.Email ? "Your appointment" : null,
            Body = body,
        });

    public async Task<Message> MessageAsync(MessageId id)
        => (await Services.GetRequiredService<Storage.IMessagingStore>().GetMessageAsync(id))!;

    /// <summary>POSTs a Twilio webhook to a public URL, signed with the given auth token as Twilio signs it.</summary>
    public async Task<HttpResponseMessage> PostTwilioAsync(Uri publicUrl, IReadOnlyList<KeyValuePair<string, string>> fields, string authToken)
    {
        var path = "/m/" + publicUrl.AbsoluteUri[PublicBaseUrl.AbsoluteUri.Length..];
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add(TwilioRequestValidator.SignatureHeader, new TwilioRequestValidator(authToken).ComputeSignature(publicUrl.AbsoluteUri, fields));
        return await Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    private static int PortNobodyListensOn()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public sealed record Tenant(OrganisationId Id, WorkspaceId Workspace, StaffId Admin, PatientId Patient, string Mobile, string Email)
    {
        public Tenant(string id, string admin, string patient, string mobile, string email)
            : this(new OrganisationId(id), new WorkspaceId(id + "-ws"), new StaffId(admin), new PatientId(patient), mobile, email)
        {
        }
    }
}

/// <summary>A request a provider made: which named client sent it, where, with which credentials and body.</summary>
public sealed record RecordedRequest(string Client, HttpMethod Method, Uri Url, string? AuthorizationUser, string Body)
{
    /// <summary>A form field of the body (Twilio's requests are forms).</summary>
    public string? Field(string name)
        => Body.Split('&').Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && WebUtility.UrlDecode(p[0]) == name).Select(p => WebUtility.UrlDecode(p[1])).FirstOrDefault();
}

public sealed class RequestRecorder
{
    private readonly List<RecordedRequest> _requests = [];

    public IReadOnlyList<RecordedRequest> All
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public void Add(RecordedRequest request)
    {
        lock (_requests)
        {
            _requests.Add(request);
        }
    }
}

/// <summary>Records each request on its way out, then passes it on unchanged.</summary>
internal sealed class RecordingHandler(string client, RequestRecorder recorder) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        string? user = null;
        if (request.Headers.Authorization is { Scheme: "Basic", Parameter: { } parameter })
        {
            user = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(parameter)).Split(':')[0];
        }

        recorder.Add(new RecordedRequest(client, request.Method, request.RequestUri!, user, body));
        return await base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Reads what arrived at the SMTP sink (tools/peers/start-smtp.sh) through its HTTP API.</summary>
internal static class SmtpSinkApi
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Every mail with this Message-ID header (angle brackets included).</summary>
    public static async Task<IReadOnlyList<SinkMail>> MailsWithMessageIdAsync(string messageId)
    {
        var api = new Uri(Peers.Get(RoutedWorld.SmtpApiVariable).TrimEnd('/') + "/");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var mails = await Http.GetFromJsonAsync<List<SinkMail>>(new Uri(api, "email?message-id=" + Uri.EscapeDataString(messageId))) ?? [];
                return mails.Where(m => m.Headers.TryGetValue("message-id", out var id) && id == messageId).ToList();
            }
            catch (HttpRequestException) when (attempt < 3)
            {
            }
        }
    }
}

internal sealed record SinkAddress([property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("address")] string Address);

internal sealed record SinkEnvelope([property: JsonPropertyName("from")] string From, [property: JsonPropertyName("to")] List<string> To);

internal sealed record SinkMail(
    [property: JsonPropertyName("from")] List<SinkAddress> From,
    [property: JsonPropertyName("envelope")] SinkEnvelope Envelope,
    [property: JsonPropertyName("headers")] Dictionary<string, string> Headers);

/// <summary>A test that needs every listed peer; skipped with a reason when one is missing (unless peers are required).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PeersFactAttribute : FactAttribute
{
    public PeersFactAttribute(params string[] environmentVariables)
    {
        var missing = environmentVariables.Where(v => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v))).ToList();
        if (missing.Count > 0 && !Peers.Required)
        {
            Skip = $"{string.Join(", ", missing)} not set: run `bash tools/test.sh` to start the real peers.";
        }
    }
}
