using System.Globalization;
using Messaging.Providers.NhsNotify.Tests.Support;
using Messaging.Testing.Peers;
using Messaging.Testing.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Messaging.Providers.NhsNotify.Tests.Conformance;

// The provider conformance kit (Messaging.Testing) against NHS Notify: the SMS and email send suites against an
// in-process server answering as NHS Notify's API does (and against Prism serving NHS England's own spec, for acceptance).

/// <summary>What NHS Notify answers for each of the kit's answers; the errors' detail quotes the recipient, as NHS Notify's may.</summary>
internal static class NhsNotifyAnswers
{
    public static FakeResponse For(ProviderAnswer answer, ReceivedRequest request) => answer switch
    {
        ProviderAnswer.Accept => FakeResponse.Created(request.Json["data"]!["attributes"]!["messageReference"]!.GetValue<string>()),
        ProviderAnswer.FailTransiently => FakeResponse.NhsNotifyError(503, "CM_SERVICE_UNAVAILABLE", "The service is unavailable."),
        ProviderAnswer.Throttle => FakeResponse.NhsNotifyError(429, "CM_QUOTA", "Too many requests.") with
        {
            Headers = new Dictionary<string, string> { ["Retry-After"] = ((int)ProviderConformance.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture) },
        },
        ProviderAnswer.FailPermanently => FakeResponse.NhsNotifyError(400, "CM_INVALID_VALUE", $"The value provided in this field is not valid: {request.Json["data"]!["attributes"]!["recipient"]!.ToJsonString()}"),
        ProviderAnswer.TimeOut => new FakeResponse(201, "{}") { Delay = TimeSpan.FromSeconds(20) },
        ProviderAnswer.Hang => new FakeResponse(201, "{}") { Delay = TimeSpan.FromMinutes(10) },
        _ => throw new ArgumentOutOfRangeException(nameof(answer)),
    };
}

/// <summary>Owns the fake servers and hosts a suite creates.</summary>
internal sealed class Harness : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _servers = [];
    private readonly List<IDisposable> _hosts = [];

    public NhsNotifyTestHost Fake(ProviderAnswer answer, ILoggerProvider logs)
    {
        var server = new FakeNhsNotifyServer(request => NhsNotifyAnswers.For(answer, request));
        _servers.Add(server);
        return Host(server.BaseUrl, answer, logs);
    }

    public NhsNotifyTestHost Host(Uri baseUrl, ProviderAnswer answer, ILoggerProvider logs)
    {
        var host = new NhsNotifyTestHost(
            baseUrl,
            o => o.Timeout = answer == ProviderAnswer.TimeOut ? TimeSpan.FromSeconds(1) : o.Timeout,
            services => services.AddLogging(b => b.AddProvider(logs)));
        _hosts.Add(host);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        _hosts.ForEach(h => h.Dispose());
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }
}

public sealed class NhsNotifySmsProviderConformanceTests : SmsProviderConformanceTests, IAsyncLifetime
{
    private readonly Harness _harness = new();

    protected override IReadOnlyCollection<string> Credentials => [NhsNotifyTestHost.ApiKey, NhsNotifyTestHost.AccessToken];

    protected override Task<ISmsProvider> CreateProviderAsync(ProviderAnswer answer, ILoggerProvider logs) => Task.FromResult(_harness.Fake(answer, logs).Sms);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();
}

public sealed class NhsNotifyEmailProviderConformanceTests : EmailProviderConformanceTests, IAsyncLifetime
{
    private readonly Harness _harness = new();

    protected override IReadOnlyCollection<string> Credentials => [NhsNotifyTestHost.ApiKey, NhsNotifyTestHost.AccessToken];

    protected override Task<IEmailProvider> CreateProviderAsync(ProviderAnswer answer, ILoggerProvider logs) => Task.FromResult(_harness.Fake(answer, logs).Email);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();
}

/// <summary>The SMS suite against Prism serving NHS England's spec: Prism validates each request and answers the spec's example, so only acceptance runs there.</summary>
[NhsNotifyMockPeer]
[CannotAnswer(ProviderAnswer.FailTransiently, PrismOnlyAccepts)]
[CannotAnswer(ProviderAnswer.Throttle, PrismOnlyAccepts)]
[CannotAnswer(ProviderAnswer.FailPermanently, PrismOnlyAccepts)]
[CannotAnswer(ProviderAnswer.TimeOut, PrismOnlyAccepts)]
[CannotAnswer(ProviderAnswer.Hang, PrismOnlyAccepts)]
public sealed class NhsNotifyPrismSmsProviderConformanceTests : SmsProviderConformanceTests, IAsyncLifetime
{
    internal const string PrismOnlyAccepts = "Prism answers the spec's example; the failures run against FakeNhsNotifyServer.";
    private readonly Harness _harness = new();

    protected override IReadOnlyCollection<string> Credentials => [NhsNotifyTestHost.ApiKey, NhsNotifyTestHost.AccessToken];

    protected override Task<ISmsProvider> CreateProviderAsync(ProviderAnswer answer, ILoggerProvider logs)
        => Task.FromResult(_harness.Host(new Uri(Peers.Get(NhsNotifyMockPeerAttribute.Variable)), answer, logs).Sms);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();
}

/// <summary>The email suite against Prism serving NHS England's spec (acceptance only, as for SMS).</summary>
[NhsNotifyMockPeer]
[CannotAnswer(ProviderAnswer.FailTransiently, NhsNotifyPrismSmsProviderConformanceTests.PrismOnlyAccepts)]
[CannotAnswer(ProviderAnswer.Throttle, NhsNotifyPrismSmsProviderConformanceTests.PrismOnlyAccepts)]
[CannotAnswer(ProviderAnswer.FailPermanently, NhsNotifyPrismSmsProviderConformanceTests.PrismOnlyAccepts)]
[CannotAnswer(ProviderAnswer.TimeOut, NhsNotifyPrismSmsProviderConformanceTests.PrismOnlyAccepts)]
[CannotAnswer(ProviderAnswer.Hang, NhsNotifyPrismSmsProviderConformanceTests.PrismOnlyAccepts)]
public sealed class NhsNotifyPrismEmailProviderConformanceTests : EmailProviderConformanceTests, IAsyncLifetime
{
    private readonly Harness _harness = new();

    protected override IReadOnlyCollection<string> Credentials => [NhsNotifyTestHost.ApiKey, NhsNotifyTestHost.AccessToken];

    protected override Task<IEmailProvider> CreateProviderAsync(ProviderAnswer answer, ILoggerProvider logs)
        => Task.FromResult(_harness.Host(new Uri(Peers.Get(NhsNotifyMockPeerAttribute.Variable)), answer, logs).Email);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();
}

/// <summary>Skips the Prism-backed classes where the NHS Notify mock is not running (unless peers are required, as in CI).</summary>
public sealed class NhsNotifyMockPeerAttribute : ProviderConditionAttribute
{
    public const string Variable = "MESSAGING_NHSNOTIFY_BASE_URL";

    public override string? SkipReason(IReadOnlyCollection<ProviderAnswer> answers)
        => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)) && !Peers.Required
            ? $"{Variable} is not set: run `bash tools/test.sh` (or tools/peers/start-nhs-notify-mock.sh) to start Prism."
            : null;
}

/// <summary>
/// NHS Notify's webhook handler with callbacks as NHS Notify posts them (JSON:API, signed with <c>x-hmac-sha256-signature</c>
/// over the raw body and carrying <c>x-api-key</c>). NHS Notify posts no inbound texts and signs the body only.
/// </summary>
public sealed class NhsNotifyWebhookConformanceTests : ProviderWebhookConformanceTests, IDisposable
{
    private readonly List<NhsNotifyTestHost> _hosts = [];

    protected override IReadOnlyCollection<string> Credentials => [NhsNotifyTestHost.ApiKey, NhsNotifyTestHost.AccessToken];

    protected override bool ReceivesInboundTexts => false;

    protected override bool SignatureCoversUrl => false;

    protected override IProviderWebhookHandler CreateHandler(ILoggerProvider logs)
    {
        var host = new NhsNotifyTestHost(new Uri("https://sandbox.api.service.nhs.uk/comms"), configureServices: s => s.AddLogging(b => b.AddProvider(logs)));
        _hosts.Add(host);
        return host.Webhooks;
    }

    protected override ProviderWebhookRequest? SignedStatusReport(Uri publicUrl, string providerMessageId, DeliveryStatus status)
    {
        var body = status switch
        {
            DeliveryStatus.Sent => Callbacks.MessageStatus(providerMessageId, "sending"),
            DeliveryStatus.Delivered => Callbacks.MessageStatus(providerMessageId, "delivered"),
            DeliveryStatus.Failed => Callbacks.MessageStatus(providerMessageId, "failed", "MFR_PDSV_0002"),
            DeliveryStatus.Undelivered => Callbacks.ChannelStatus(providerMessageId, "sms", "failed", "permanent_failure"),
            _ => null,
        };
        return body is null ? null : Callbacks.Signed(publicUrl, body);
    }

    protected override ProviderWebhookRequest SignedInboundText(Uri publicUrl, OrganisationId organisationId, PhoneNumber from, PhoneNumber to, string body)
        => throw new NotSupportedException("NHS Notify posts no inbound texts.");

    public void Dispose() => _hosts.ForEach(h => h.Dispose());
}

public sealed class NhsNotifyConformanceCoverageTests
{
    [Fact]
    public void Every_suite_of_the_kit_for_an_sms_and_email_provider_with_webhooks_runs_against_NHS_Notify()
        => ProviderConformance.MissingSuites(System.Reflection.Assembly.GetExecutingAssembly(), "NhsNotify", [typeof(ISmsProvider), typeof(IEmailProvider), typeof(IProviderWebhookHandler)]).Should().BeEmpty();
}
