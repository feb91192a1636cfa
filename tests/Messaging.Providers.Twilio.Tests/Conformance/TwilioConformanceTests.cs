using System.Reflection;
using System.Text.Json;
using Messaging.Providers.Twilio.Tests.Support;
using Messaging.Providers.Twilio.Webhooks;
using Messaging.Testing.Peers;
using Messaging.Testing.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Messaging.Providers.Twilio.Tests.Conformance;

// The provider conformance kit (Messaging.Testing) against Twilio: the send suite against an in-process server that
// answers as Twilio's REST API does (and against Prism serving Twilio's own OpenAPI spec, for acceptance), the webhook
// suite with requests signed as Twilio signs them.

/// <summary>Twilio's provider against <see cref="FakeTwilioServer"/> on 127.0.0.1, answering each send as Twilio would.</summary>
public sealed class TwilioSmsProviderConformanceTests : SmsProviderConformanceTests, IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _servers = [];
    private readonly List<IDisposable> _hosts = [];

    protected override IReadOnlyCollection<string> Credentials => [TwilioTestHost.AuthToken];

    protected override Task<ISmsProvider> CreateProviderAsync(ProviderAnswer answer, ILoggerProvider logs)
    {
        var server = new FakeTwilioServer(request => Answer(answer, request));
        _servers.Add(server);
        var host = new TwilioTestHost(
            server.BaseUrl,
            o => o.Timeout = answer == ProviderAnswer.TimeOut ? TimeSpan.FromSeconds(1) : o.Timeout,
            services => services.AddLogging(b => b.AddProvider(logs)));
        _hosts.Add(host);
        return Task.FromResult(host.Provider);
    }

    /// <summary>What Twilio answers: its message resource, or its error resource (which quotes the number, as Twilio's does).</summary>
    private static FakeResponse Answer(ProviderAnswer answer, ReceivedRequest request) => answer switch
    {
        ProviderAnswer.Accept => new FakeResponse(201, JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["sid"] = $"SM{Guid.NewGuid():N}",
            ["status"] = "queued",
            ["num_segments"] = "1",
            ["to"] = request.Form["To"],
            ["body"] = request.Form["Body"],
            ["error_code"] = null,
        })),
        ProviderAnswer.FailTransiently => FakeResponse.TwilioError(503, 20503, "Service Unavailable"),
        ProviderAnswer.Throttle => FakeResponse.TwilioError(429, 20429, "Too Many Requests") with
        {
            Headers = new Dictionary<string, string> { ["Retry-After"] = ((int)ProviderConformance.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) },
        },
        ProviderAnswer.FailPermanently => FakeResponse.TwilioError(400, 21211, $"The 'To' number {request.Form["To"]} is not a valid phone number."),
        ProviderAnswer.TimeOut => new FakeResponse(201, "{}") { Delay = TimeSpan.FromSeconds(20) },
        ProviderAnswer.Hang => new FakeResponse(201, "{}") { Delay = TimeSpan.FromMinutes(10) },
        _ => throw new ArgumentOutOfRangeException(nameof(answer)),
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _hosts.ForEach(h => h.Dispose());
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }
}

/// <summary>
/// Twilio's provider against Prism serving Twilio's OpenAPI spec (tools/peers/start-twilio-mock.sh): Prism validates the
/// request against Twilio's contract and answers its example, so only acceptance can be arranged there.
/// </summary>
[TwilioMockPeer]
[CannotAnswer(ProviderAnswer.FailTransiently, PrismOnlyAccepts)]
[CannotAnswer(ProviderAnswer.Throttle, PrismOnlyAccepts)]
[CannotAnswer(ProviderAnswer.FailPermanently, PrismOnlyAccepts)]
[CannotAnswer(ProviderAnswer.TimeOut, PrismOnlyAccepts)]
[CannotAnswer(ProviderAnswer.Hang, PrismOnlyAccepts)]
public sealed class TwilioPrismSmsProviderConformanceTests : SmsProviderConformanceTests, IDisposable
{
    private const string PrismOnlyAccepts = "Prism answers the spec's example; the failures run against FakeTwilioServer in TwilioSmsProviderConformanceTests.";

    private readonly List<IDisposable> _hosts = [];

    protected override IReadOnlyCollection<string> Credentials => [TwilioTestHost.AuthToken];

    protected override Task<ISmsProvider> CreateProviderAsync(ProviderAnswer answer, ILoggerProvider logs)
    {
        var host = new TwilioTestHost(new Uri(Peers.Get(TwilioMockPeerAttribute.Variable)), configureServices: services => services.AddLogging(b => b.AddProvider(logs)));
        _hosts.Add(host);
        return Task.FromResult(host.Provider);
    }

    public void Dispose() => _hosts.ForEach(h => h.Dispose());
}

/// <summary>Twilio's webhook handler with status callbacks and inbound messages as Twilio posts them, signed with <c>X-Twilio-Signature</c>.</summary>
public sealed class TwilioWebhookConformanceTests : ProviderWebhookConformanceTests, IDisposable
{
    private const string WebhookToken = "whk-3c9e1a7f5b2d4e6f8a0b1c2d3e4f5a6b";
    private readonly List<ServiceProvider> _hosts = [];

    protected override IReadOnlyCollection<string> Credentials => [WebhookToken];

    protected override IProviderWebhookHandler CreateHandler(ILoggerProvider logs)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        new TwilioTestHost.Builder(services).AddTwilioSms(o =>
        {
            o.AccountSid = TwilioTestHost.AccountSid;
            o.AuthToken = WebhookToken;
            o.From = TwilioTestHost.From;
        });
        var provider = services.BuildServiceProvider();
        _hosts.Add(provider);
        return provider.GetServices<IProviderWebhookHandler>().Single(h => h.Name == "twilio");
    }

    protected override string NewProviderMessageId() => $"SM{Guid.NewGuid():N}";

    /// <summary>Twilio's status callback: its status word, the error code of a failure, and the fields Twilio adds.</summary>
    protected override ProviderWebhookRequest? SignedStatusReport(Uri publicUrl, string providerMessageId, DeliveryStatus status)
    {
        var (word, errorCode) = status switch
        {
            DeliveryStatus.Queued => ("queued", null),
            DeliveryStatus.Sending => ("sending", null),
            DeliveryStatus.Sent => ("sent", null),
            DeliveryStatus.Delivered => ("delivered", null),
            DeliveryStatus.Undelivered => ("undelivered", "30003"),
            DeliveryStatus.Failed => ("failed", "30008"),
            _ => ((string?)null, (string?)null),
        };
        if (word is null)
        {
            return null;
        }

        List<KeyValuePair<string, string>> form =
        [
            new("SmsSid", providerMessageId),
            new("SmsStatus", word),
            new("MessageStatus", word),
            new("MessageSid", providerMessageId),
            new("AccountSid", TwilioTestHost.AccountSid),
            new("From", TwilioTestHost.From),
            new("ApiVersion", "2010-04-01"),
        ];
        if (errorCode is not null)
        {
            form.Add(new("ErrorCode", errorCode));
        }

        return Signed(publicUrl, form, organisationId: null);
    }

    /// <summary>Twilio's inbound message webhook, with the fields it sends for an SMS.</summary>
    protected override ProviderWebhookRequest SignedInboundText(Uri publicUrl, OrganisationId organisationId, PhoneNumber from, PhoneNumber to, string body)
    {
        var sid = $"SM{Guid.NewGuid():N}";
        return Signed(
            publicUrl,
            [
                new("ToCountry", "GB"),
                new("SmsMessageSid", sid),
                new("NumMedia", "0"),
                new("SmsSid", sid),
                new("SmsStatus", "received"),
                new("Body", body),
                new("To", to.Value),
                new("NumSegments", "1"),
                new("MessageSid", sid),
                new("AccountSid", TwilioTestHost.AccountSid),
                new("From", from.Value),
                new("ApiVersion", "2010-04-01"),
            ],
            organisationId);
    }

    private static ProviderWebhookRequest Signed(Uri publicUrl, IReadOnlyList<KeyValuePair<string, string>> form, OrganisationId? organisationId) => new()
    {
        Method = "POST",
        PublicUrl = publicUrl.AbsoluteUri,
        ContentType = "application/x-www-form-urlencoded",
        Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [TwilioRequestValidator.SignatureHeader] = new TwilioRequestValidator(WebhookToken).ComputeSignature(publicUrl.AbsoluteUri, form),
            ["I-Twilio-Idempotency-Token"] = Guid.NewGuid().ToString(),
        },
        Form = form,
        OrganisationId = organisationId,
    };

    public void Dispose() => _hosts.ForEach(h => h.Dispose());
}

/// <summary>Skips the Prism-backed class where the Twilio mock is not running (unless peers are required, as in CI).</summary>
public sealed class TwilioMockPeerAttribute : ProviderConditionAttribute
{
    public const string Variable = "MESSAGING_TWILIO_BASE_URL";

    public override string? SkipReason(IReadOnlyCollection<ProviderAnswer> answers)
        => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)) && !Peers.Required
            ? $"{Variable} is not set: run `bash tools/test.sh` (or tools/peers/start-twilio-mock.sh) to start Prism."
            : null;
}

public sealed class TwilioConformanceCoverageTests
{
    [Fact]
    public void Every_suite_of_the_kit_for_an_sms_provider_with_webhooks_runs_against_Twilio()
        => ProviderConformance.MissingSuites(Assembly.GetExecutingAssembly(), "Twilio", [typeof(ISmsProvider), typeof(IProviderWebhookHandler)]).Should().BeEmpty();
}
