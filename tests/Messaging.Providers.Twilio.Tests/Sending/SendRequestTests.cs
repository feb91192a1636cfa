using Messaging.Tests.Support;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Messaging.Providers.Twilio.Tests.Support;

namespace Messaging.Providers.Twilio.Tests.Sending;

/// <summary>What the provider puts on the wire: Twilio's path, form fields, basic auth and the idempotency header.</summary>
public sealed class SendRequestTests
{
    private static readonly PhoneNumber Patient = PhoneNumber.FromE164("+447700900123");
    private const string Created = """{"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued", "num_segments": "2", "error_code": null}""";

    [Fact]
    public async Task Send_posts_To_From_Body_and_StatusCallback_as_a_form_to_the_accounts_Messages_resource()
    {
        await using var twilio = new FakeTwilioServer(new FakeResponse(201, Created));
        using var host = new TwilioTestHost(twilio.BaseUrl);

        var request = new SmsSendRequest(Patient, "Your appointment is at 10:00 & bring a list + your letter", "msg-42")
        {
            StatusCallback = new Uri("https://ehr.example.nhs.uk/m/twilio/status?tenant=7"),
        };
        await host.Provider.SendAsync(request);

        var sent = twilio.Requests.Should().ContainSingle().Subject;
        sent.Method.Should().Be("POST");
        sent.Path.Should().Be($"/2010-04-01/Accounts/{TwilioTestHost.AccountSid}/Messages.json");
        sent.Headers["Content-Type"].Should().StartWith("application/x-www-form-urlencoded");
        sent.Form.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["To"] = "+447700900123",
            ["From"] = TwilioTestHost.From,
            ["Body"] = "Your appointment is at 10:00 & bring a list + your letter",
            ["StatusCallback"] = "https://ehr.example.nhs.uk/m/twilio/status?tenant=7",
        });
    }

    [Fact]
    public async Task Send_authenticates_with_the_account_sid_and_auth_token_and_carries_the_idempotency_key()
    {
        await using var twilio = new FakeTwilioServer(new FakeResponse(201, Created));
        using var host = new TwilioTestHost(twilio.BaseUrl);

        await host.Provider.SendAsync(new SmsSendRequest(Patient, "Hello", "msg-42"));

        var sent = twilio.Requests.Single();
        sent.Headers["Authorization"].Should().Be("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TwilioTestHost.AccountSid}:{TwilioTestHost.AuthToken}")));
        sent.Headers["I-Twilio-Idempotency-Token"].Should().Be("msg-42");
        sent.Headers["Accept"].Should().Contain("application/json");
    }

    [Fact]
    public async Task Send_prefers_the_api_key_for_basic_auth_when_one_is_configured()
    {
        await using var twilio = new FakeTwilioServer(new FakeResponse(201, Created));
        using var host = new TwilioTestHost(twilio.BaseUrl, o =>
        {
            o.ApiKeySid = "SK0123456789abcdef0123456789abcdef";
            o.ApiKeySecret = "key-secret-value";
        });

        await host.Provider.SendAsync(new SmsSendRequest(Patient, "Hello", "msg-1"));

        twilio.Requests.Single().Headers["Authorization"].Should()
            .Be("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("SK0123456789abcdef0123456789abcdef:key-secret-value")));
        twilio.Requests.Single().Path.Should().Contain(TwilioTestHost.AccountSid, "the account is still the one in the path");
    }

    [Fact]
    public async Task Send_names_the_messaging_service_instead_of_From_when_one_is_configured_and_falls_back_to_the_configured_callback()
    {
        await using var twilio = new FakeTwilioServer(new FakeResponse(201, Created));
        using var host = new TwilioTestHost(twilio.BaseUrl, o =>
        {
            o.From = null;
            o.MessagingServiceSid = "MG0123456789abcdef0123456789abcdef";
            o.StatusCallbackUrl = new Uri("https://ehr.example.nhs.uk/m/twilio/status");
        });

        await host.Provider.SendAsync(new SmsSendRequest(Patient, "Hello", "msg-1"));

        var form = twilio.Requests.Single().Form;
        form.Should().ContainKey("MessagingServiceSid").WhoseValue.Should().Be("MG0123456789abcdef0123456789abcdef");
        form.Should().NotContainKey("From");
        form["StatusCallback"].Should().Be("https://ehr.example.nhs.uk/m/twilio/status");
    }

    [Fact]
    public async Task Send_without_any_status_callback_sends_no_StatusCallback_field()
    {
        await using var twilio = new FakeTwilioServer(new FakeResponse(201, Created));
        using var host = new TwilioTestHost(twilio.BaseUrl);

        await host.Provider.SendAsync(new SmsSendRequest(Patient, "Hello", "msg-1"));

        twilio.Requests.Single().Form.Should().NotContainKey("StatusCallback");
    }

    [Fact]
    public async Task A_base_url_with_a_path_keeps_it_in_front_of_Twilios_path()
    {
        await using var twilio = new FakeTwilioServer(new FakeResponse(201, Created));
        using var host = new TwilioTestHost(new Uri(twilio.BaseUrl, "proxy/twilio"));

        await host.Provider.SendAsync(new SmsSendRequest(Patient, "Hello", "msg-1"));

        twilio.Requests.Single().Path.Should().Be($"/proxy/twilio/2010-04-01/Accounts/{TwilioTestHost.AccountSid}/Messages.json");
    }

    [Fact]
    public async Task An_accepted_send_maps_sid_status_and_segments()
    {
        await using var twilio = new FakeTwilioServer(new FakeResponse(201, Created));
        using var host = new TwilioTestHost(twilio.BaseUrl);

        var result = await host.Provider.SendAsync(new SmsSendRequest(Patient, "Hello", "msg-1"));

        result.Succeeded.Should().BeTrue();
        result.ProviderMessageId.Should().Be("SM0123456789abcdef0123456789abcdef");
        result.RawStatus.Should().Be("queued");
        result.Segments.Should().Be(2);
    }

    [Fact]
    public async Task Without_a_callback_of_its_own_a_send_carries_the_SDKs_status_route_under_PublicBaseUrl()
    {
        await using var twilio = new FakeTwilioServer(new FakeResponse(201, Created));
        using var host = new TwilioTestHost(twilio.BaseUrl, configureServices: s => s.AddSingleton<IMessagingPublicUrls>(new PublicUrls("https://ehr.example.nhs.uk/m/")));

        await host.Provider.SendAsync(new SmsSendRequest(Patient, "Hello", "msg-1"));

        twilio.Requests.Single().Form["StatusCallback"].Should().Be("https://ehr.example.nhs.uk/m/sms/twilio/status?messageKey=msg-1", "the key names the message even before its SID is stored");
    }

    [Fact]
    public async Task StatusCallbackUrl_still_overrides_the_SDKs_status_route()
    {
        await using var twilio = new FakeTwilioServer(new FakeResponse(201, Created));
        using var host = new TwilioTestHost(
            twilio.BaseUrl,
            o => o.StatusCallbackUrl = new Uri("https://relay.example.nhs.uk/twilio"),
            s => s.AddSingleton<IMessagingPublicUrls>(new PublicUrls("https://ehr.example.nhs.uk/m/")));

        await host.Provider.SendAsync(new SmsSendRequest(Patient, "Hello", "msg-1"));

        twilio.Requests.Single().Form["StatusCallback"].Should().Be("https://relay.example.nhs.uk/twilio");
    }

    [Fact]
    public async Task With_the_SDKs_core_registered_the_callback_is_built_from_Messaging_PublicBaseUrl()
    {
        await using var twilio = new FakeTwilioServer(new FakeResponse(201, Created));
        using var host = new TwilioTestHost(twilio.BaseUrl, configureServices: s => s.AddPatientMessaging(o =>
        {
            o.PublicBaseUrl = new Uri("https://EHR.example.nhs.uk/messaging");
            o.LinkKey = TestSecrets.LinkKey;
        }).AddInMemoryStore());

        await host.Provider.SendAsync(new SmsSendRequest(Patient, "Hello", "msg-1"));

        twilio.Requests.Single().Form["StatusCallback"].Should().Be("https://ehr.example.nhs.uk/messaging/sms/twilio/status?messageKey=msg-1");
    }

    private sealed class PublicUrls(string root) : IMessagingPublicUrls
    {
        public Uri Resolve(string relativePath) => new(root + relativePath);
    }
}
