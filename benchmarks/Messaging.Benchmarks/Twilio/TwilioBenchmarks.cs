using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using Messaging.Providers.Twilio.Sending;
using Messaging.Providers.Twilio.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;

namespace Messaging.Benchmarks.Twilio;

/// <summary>
/// The cost of checking X-Twilio-Signature on a webhook: the documentation's 5-field example, a real-sized inbound SMS
/// (21 fields, as Twilio sends), and a 1 KiB JSON body through <c>bodySHA256</c>. Each check signs twice (URL with and
/// without its port), as Twilio's libraries do.
/// </summary>
[MemoryDiagnoser]
public class TwilioSignatureBenchmarks
{
    private const string Url = "https://ehr.example.nhs.uk/m/twilio/inbound/northshire-trust?tenant=7";
    private readonly TwilioRequestValidator _validator = new("0123456789abcdef0123456789abcdef");
    private KeyValuePair<string, string>[] _docs = null!;
    private KeyValuePair<string, string>[] _inbound = null!;
    private string _docsSignature = null!;
    private string _inboundSignature = null!;
    private byte[] _json = null!;
    private string _jsonUrl = null!;
    private string _jsonSignature = null!;

    [GlobalSetup]
    public void Setup()
    {
        _docs =
        [
            new("CallSid", "CA1234567890ABCDE"), new("Caller", "+14158675309"), new("Digits", "1234"),
            new("From", "+14158675309"), new("To", "+18005551212"),
        ];
        _inbound =
        [
            new("ToCountry", "GB"), new("ToState", ""), new("SmsMessageSid", "SM0123456789abcdef0123456789abcdef"),
            new("NumMedia", "0"), new("ToCity", ""), new("FromZip", ""), new("SmsSid", "SM0123456789abcdef0123456789abcdef"),
            new("FromState", ""), new("SmsStatus", "received"), new("FromCity", ""),
            new("Body", "Thank you, I can make Tuesday at 10:30. Is parking available at the clinic?"),
            new("FromCountry", "GB"), new("To", "+447700900001"), new("MessagingServiceSid", "MG0123456789abcdef0123456789abcdef"),
            new("ToZip", ""), new("NumSegments", "1"), new("MessageSid", "SM0123456789abcdef0123456789abcdef"),
            new("AccountSid", "AC0123456789abcdef0123456789abcdef"), new("From", "+447700900123"), new("ApiVersion", "2010-04-01"),
            new("ReferralNumMedia", "0"),
        ];
        _docsSignature = _validator.ComputeSignature(Url, _docs);
        _inboundSignature = _validator.ComputeSignature(Url, _inbound);
        _json = Encoding.UTF8.GetBytes("{\"events\":[" + string.Join(',', Enumerable.Repeat("{\"type\":\"delivered\",\"sid\":\"SM0123456789abcdef\"}", 21)) + "]}");
        _jsonUrl = Url + "&bodySHA256=" + TwilioRequestValidator.ComputeBodyHash(_json);
        _jsonSignature = _validator.ComputeSignature(_jsonUrl, []);
    }

    [Benchmark]
    public bool Form_5_fields() => _validator.IsValid(Url, _docs, _docsSignature);

    [Benchmark]
    public bool Form_inbound_sms_21_fields() => _validator.IsValid(Url, _inbound, _inboundSignature);

    [Benchmark]
    public bool Json_body_1KiB() => _validator.IsValidWithBody(_jsonUrl, _json, _jsonSignature);
}

/// <summary>
/// What the provider itself costs per SMS, with the network taken out: the real registration (named HttpClient, circuit
/// breaker, timeout, logging handlers) in front of an in-memory handler that answers Twilio's 201 body.
/// </summary>
[MemoryDiagnoser]
public class TwilioSendBenchmarks
{
    private const string Created = """{"account_sid":"AC0123456789abcdef0123456789abcdef","api_version":"2010-04-01","body":"Hello","date_created":"Thu, 24 Aug 2023 05:01:45 +0000","direction":"outbound-api","error_code":null,"error_message":null,"from":"+447700900001","num_media":"0","num_segments":"1","price":null,"sid":"SM0123456789abcdef0123456789abcdef","status":"queued","to":"+447700900123","uri":"/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages/SM0123456789abcdef0123456789abcdef.json"}""";
    private ServiceProvider _services = null!;
    private ISmsProvider _provider = null!;
    private SmsSendRequest _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2025, 1, 1, 0, 0)));
        services.AddPatientMessagingBuilderForBenchmarks().AddTwilioSms(o =>
        {
            o.AccountSid = "AC0123456789abcdef0123456789abcdef";
            o.AuthToken = "0123456789abcdef0123456789abcdef";
            o.From = "+447700900001";
            o.StatusCallbackUrl = new Uri("https://ehr.example.nhs.uk/m/twilio/status");
        });
        services.AddHttpClient(TwilioSmsProvider.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new CannedTwilio());
        _services = services.BuildServiceProvider();
        _provider = _services.GetRequiredService<IEnumerable<ISmsProvider>>().Single();
        _request = new SmsSendRequest(PhoneNumber.FromE164("+447700900123"), "Dear Jane, your appointment is on Tuesday at 10:30.", "0193f5a2-7c1e-7000-8000-000000000001");
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark]
    public async Task<string?> Send() => (await _provider.SendAsync(_request)).ProviderMessageId;

    private sealed class CannedTwilio : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _ = await request.Content!.ReadAsByteArrayAsync(cancellationToken); // the form is really serialised
            return new HttpResponseMessage(HttpStatusCode.Created) { Content = new StringContent(Created, Encoding.UTF8, "application/json") };
        }
    }
}

internal static class BenchmarkBuilder
{
    public static IPatientMessagingBuilder AddPatientMessagingBuilderForBenchmarks(this IServiceCollection services) => new Builder(services);

    private sealed class Builder(IServiceCollection services) : IPatientMessagingBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
