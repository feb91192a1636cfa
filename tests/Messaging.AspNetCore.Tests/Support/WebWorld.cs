using System.Net;
using System.Text.RegularExpressions;
using Messaging.Outbox;
using Messaging.Providers.Twilio.Webhooks;
using Messaging.Testing.Fakes;
using Messaging.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;

namespace Messaging.AspNetCore.Tests.Support;

/// <summary>
/// A host as an EHR would write it — AddPatientMessaging, the in-memory store, AddWebEndpoints, MapPatientMessaging("/m")
/// — on ASP.NET Core's TestServer, with a fake clock, a recording SMS provider named like Twilio (so status callbacks
/// match its messages) and Twilio registered with AddTwilioSms from a reloadable configuration (its webhook handler; the
/// fake provider comes first, so Twilio's API is never called). The app sees http://localhost; Twilio signs the public URL.
/// </summary>
public sealed partial class WebWorld : IAsyncDisposable
{
    public const string AuthToken = "a-test-auth-token-0123456789abcdef";
    public static readonly Uri PublicBaseUrl = new("https://ehr.example.nhs.uk/m/");
    public static readonly OrganisationId Trust = new("northshire-trust");
    public static readonly WorkspaceId Workspace = new("northshire");
    public static readonly StaffId Alice = new("alice");
    public static readonly PatientId Jane = new("p-1001");
    public static readonly PhoneNumber JaneMobile = PhoneNumber.FromE164("+447400123456");
    public const string StaffName = "Dr Alice Adams";

    private WebWorld(WebApplication app, FakeClock clock, FakeSmsProvider sms, FakeEmailProvider email, IConfigurationRoot twilioConfiguration, CapturingLoggerProvider logs)
    {
        TwilioConfiguration = twilioConfiguration;
        Logs = logs;
        App = app;
        Clock = clock;
        Sms = sms;
        Email = email;
        Client = app.GetTestClient();
        Client.BaseAddress = new Uri("http://localhost/");
    }

    public WebApplication App { get; }

    public FakeClock Clock { get; }

    public FakeSmsProvider Sms { get; }

    public FakeEmailProvider Email { get; }

    public HttpClient Client { get; }

    /// <summary>Where Twilio's options come from: change a key and <c>Reload()</c> to rotate a setting without rebuilding the host.</summary>
    public IConfigurationRoot TwilioConfiguration { get; }

    /// <summary>Every log line the host wrote.</summary>
    public CapturingLoggerProvider Logs { get; }

    public TwilioRequestValidator Twilio { get; } = new(AuthToken);

    public IServiceProvider Services => App.Services;

    public static async Task<WebWorld> StartAsync(Action<WebApplicationBuilder>? configure = null, bool withTwilio = true)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var logs = new CapturingLoggerProvider();
        builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        var twilioConfiguration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Messaging:Twilio:AccountSid"] = "AC0123456789abcdef0123456789abcdef",
            ["Messaging:Twilio:AuthToken"] = AuthToken,
            ["Messaging:Twilio:From"] = "+447700900123",
            ["Messaging:Twilio:BaseUrl"] = "http://127.0.0.1:9", // never called: the fake provider is tried first
        }).Build();
        var clock = new FakeClock(Instant.FromUtc(2026, 11, 23, 9, 0), Duration.FromSeconds(1));
        var sms = new FakeSmsProvider("twilio");
        var email = new FakeEmailProvider();
        builder.Services.AddSingleton<IClock>(clock);
        builder.Services.AddSingleton<ISmsProvider>(sms);
        builder.Services.AddSingleton<IEmailProvider>(email);
        var messaging = builder.Services.AddPatientMessaging(o =>
        {
            o.PublicBaseUrl = PublicBaseUrl;
            o.LinkKey = TestSecrets.LinkKey;
        });
        messaging
            .AddInMemoryStore()
            .AddDirectMessages(o => o.Pepper = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)))
            .AddWebEndpoints(o => o.SiteName = "Northshire NHS Trust");
        builder.Services.Configure<OutboxOptions>(o => o.RunInBackground = false);
        if (withTwilio)
        {
            messaging.AddTwilioSms(twilioConfiguration.GetSection("Messaging:Twilio"));
        }

        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapPatientMessaging("/m");
        await app.StartAsync();
        var world = new WebWorld(app, clock, sms, email, twilioConfiguration, logs);
        await world.SeedAsync();
        return world;
    }

    private async Task SeedAsync()
    {
        await Services.GetRequiredService<IWorkspaceService>().CreateOrganisationAsync(new CreateOrganisationRequest
        {
            OrganisationId = Trust,
            Name = "Northshire NHS Trust",
            DefaultWorkspaceId = Workspace,
            FirstAdmin = new NewMember(Alice, "alice@northshire.nhs.uk", StaffName),
        });
        await Services.GetRequiredService<IPatientService>().RegisterAsync(Alice, Workspace, new PatientRegistration
        {
            PatientId = Jane,
            NhsNumber = "943 476 5919",
            DateOfBirth = new LocalDate(1970, 3, 14),
            GivenName = "Jane",
            FamilyName = "Doe",
            Mobile = "07400 123456",
            Email = "jane.doe@example.com",
        });
        await Services.GetRequiredService<ICreditService>().PurchaseAsync(Alice, Trust, 100, "test");
    }

    /// <summary>Alice sends Jane an SMS; the outbox hands it to the fake provider. Returns the message and the SMS text.</summary>
    public async Task<(Message Message, string Text)> SendSmsAsync(string body, bool allowReply = true, ConversationId? conversation = null, IReadOnlyList<AttachmentId>? attachments = null)
    {
        var message = await Services.GetRequiredService<IMessageService>().SendAsync(Alice, new SendMessageRequest
        {
            WorkspaceId = Workspace,
            Channel = MessageChannel.Sms,
            PatientId = conversation is null ? Jane : null,
            ConversationId = conversation,
            Body = body,
            AllowReply = allowReply,
            Attachments = attachments ?? [],
        });
        await Services.GetRequiredService<IOutboxDispatcher>().DispatchDueAsync();
        var sent = await MessageAsync(message.Id);
        return (sent, Sms.Accepted[^1].Body);
    }

    /// <summary>Sends a reply-enabled SMS and returns the path of its reply link, as the app sees it.</summary>
    public async Task<(Message Message, string LinkPath)> SendReplyLinkAsync(string body = "Your results are normal. Any questions?", ConversationId? conversation = null)
    {
        var (message, text) = await SendSmsAsync(body, allowReply: true, conversation);
        var link = ReplyLink().Match(text);
        link.Success.Should().BeTrue("a reply-enabled SMS carries its link");
        return (message, new Uri(link.Value).AbsolutePath);
    }

    public async Task<Message> MessageAsync(MessageId id)
        => (await Services.GetRequiredService<Storage.IMessagingStore>().GetMessageAsync(id))!;

    public async Task<IReadOnlyList<Message>> ConversationAsync(ConversationId id)
        => await Services.GetRequiredService<IMessageService>().ListAsync(Alice, id);

    /// <summary>GETs a page with the browser's cookies, as a browser would.</summary>
    public async Task<Page> GetPageAsync(string path, string? cookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        using var response = await Client.SendAsync(request);
        return await Page.ReadAsync(response);
    }

    /// <summary>POSTs a form with the given cookies.</summary>
    public async Task<Page> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> fields, string? cookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        using var response = await Client.SendAsync(request);
        return await Page.ReadAsync(response);
    }

    /// <summary>Opens the reply page and sends a reply with its form's anti-forgery token and cookie, as a browser does.</summary>
    public async Task<Page> ReplyThroughFormAsync(string linkPath, string reply)
    {
        var form = await GetPageAsync(linkPath);
        form.Status.Should().Be(HttpStatusCode.OK);
        return await PostFormAsync(linkPath, [new("__RequestVerificationToken", form.HiddenField("__RequestVerificationToken")), new("reply", reply)], form.Cookies);
    }

    /// <summary>Alice sends Jane a Direct Message; returns it with the link path from the email and the code from the SMS.</summary>
    public async Task<(DirectMessageView Message, string LinkPath, string Code)> SendDirectMessageAsync(string body = "Your biopsy showed no cancer.", IReadOnlyList<AttachmentId>? attachments = null)
    {
        var sent = await Services.GetRequiredService<IDirectMessageService>().SendAsync(Alice, new SendDirectMessageRequest
        {
            WorkspaceId = Workspace,
            PatientId = Jane,
            Subject = "Your biopsy result",
            Body = body,
            Attachments = attachments ?? [],
        });
        await Services.GetRequiredService<IOutboxDispatcher>().DispatchDueAsync();
        var link = DirectMessageLink().Match(Email.Accepted[^1].TextBody);
        link.Success.Should().BeTrue("the Direct Message email carries its link");
        var code = Sms.Accepted[^1].Body.Split(' ')[^1];
        return (sent, new Uri(link.Value).AbsolutePath, code);
    }

    /// <summary>Opens the unlock page and posts a code with its form's anti-forgery token and cookie, as a browser does.</summary>
    public async Task<Page> UnlockAsync(string linkPath, string code) => await PostCodeAsync(linkPath, await GetPageAsync(linkPath), code);

    /// <summary>Posts a code from a code form opened earlier (the same browser session).</summary>
    public Task<Page> PostCodeAsync(string linkPath, Page form, string code)
        => PostFormAsync(linkPath, [new("__RequestVerificationToken", form.HiddenField("__RequestVerificationToken")), new("code", code)], form.Cookies);

    /// <summary>A few bytes that pass as a PNG (the signature is what the SDK checks).</summary>
    public static byte[] Png { get; } = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4];

    /// <summary>Alice uploads a file to the workspace.</summary>
    public async Task<Attachment> UploadAsync(string fileName, string contentType, byte[] content)
    {
        using var stream = new MemoryStream(content);
        return await Services.GetRequiredService<IAttachmentService>().UploadAsync(Alice, Workspace, new AttachmentUpload(fileName, contentType, stream));
    }

    /// <summary>Opens the reply page and sends a reply with a file, as a browser sends a multipart form.</summary>
    public async Task<Page> ReplyWithFileAsync(string linkPath, string reply, string fileName, string contentType, byte[] content)
    {
        var form = await GetPageAsync(linkPath);
        using var multipart = new MultipartFormDataContent
        {
            { new StringContent(form.HiddenField("__RequestVerificationToken")), "__RequestVerificationToken" },
            { new StringContent(reply), "reply" },
        };
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        multipart.Add(file, "attachment", fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, linkPath) { Content = multipart };
        request.Headers.Add("Cookie", form.Cookies!);
        using var response = await Client.SendAsync(request);
        return await Page.ReadAsync(response);
    }

    /// <summary>POSTs a Twilio webhook signed as Twilio signs it: for the public URL, with the account's auth token.</summary>
    public Task<HttpResponseMessage> PostTwilioAsync(string relativePath, IReadOnlyList<KeyValuePair<string, string>> fields, string? signature = null, bool sign = true)
        => PostTwilioAsync(relativePath, fields, Twilio, signature, sign);

    /// <summary>POSTs a Twilio webhook signed for the public URL with the given validator's token.</summary>
    public async Task<HttpResponseMessage> PostTwilioAsync(string relativePath, IReadOnlyList<KeyValuePair<string, string>> fields, TwilioRequestValidator signer, string? signature = null, bool sign = true)
    {
        var publicUrl = new Uri(PublicBaseUrl, relativePath).AbsoluteUri;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/m/" + relativePath) { Content = new FormUrlEncodedContent(fields) };
        if (sign)
        {
            request.Headers.Add(TwilioRequestValidator.SignatureHeader, signature ?? signer.ComputeSignature(publicUrl, fields));
        }

        return await Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    [GeneratedRegex(@"https://ehr\.example\.nhs\.uk/m/r/[A-Za-z0-9_-]+")]
    private static partial Regex ReplyLink();

    [GeneratedRegex(@"https://ehr\.example\.nhs\.uk/m/d/[A-Za-z0-9_-]+")]
    private static partial Regex DirectMessageLink();
}

/// <summary>A fetched page: status, headers, body and the cookies it set (as one Cookie header).</summary>
public sealed partial record Page(HttpStatusCode Status, string Html, string? Cookies, IReadOnlyDictionary<string, string> Headers)
{
    public static async Task<Page> ReadAsync(HttpResponseMessage response)
    {
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var set)
            ? string.Join("; ", set.Select(c => c.Split(';')[0]))
            : null;
        return new Page(response.StatusCode, await response.Content.ReadAsStringAsync(), cookies, headers);
    }

    public string HiddenField(string name)
    {
        var match = Regex.Match(Html, $"<input type=\"hidden\" name=\"{Regex.Escape(name)}\" value=\"([^\"]+)\">");
        match.Success.Should().BeTrue($"the page has a hidden field {name}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>The page's h1, decoded.</summary>
    public string Heading => WebUtility.HtmlDecode(H1().Match(Html).Groups[1].Value);

    [GeneratedRegex("<h1>(.*?)</h1>")]
    private static partial Regex H1();
}
