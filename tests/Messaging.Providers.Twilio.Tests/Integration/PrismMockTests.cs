using Messaging.Providers.Twilio.Tests.Support;
using Messaging.Testing.Peers;

namespace Messaging.Providers.Twilio.Tests.Integration;

/// <summary>
/// Sends through the provider to Prism serving Twilio's own OpenAPI spec (tools/peers/start-twilio-mock.sh). Prism checks
/// each request against the spec (path, AccountSid pattern, basic auth, form content type, required To, StatusCallback
/// as a URI) and answers 422 when it does not conform, so an accepted send proves the request matches Twilio's contract.
/// The answer is the spec's static example, so the mapped values are the example's.
/// </summary>
public sealed class PrismMockTests
{
    private const string Variable = "MESSAGING_TWILIO_BASE_URL";
    private const string ExampleSid = "SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    [PeerFact(Variable)]
    public async Task A_send_from_a_number_is_accepted_by_Twilios_contract_and_mapped()
    {
        using var host = new TwilioTestHost(new Uri(Peers.Get(Variable)));

        var result = await host.Provider.SendAsync(new SmsSendRequest(PhoneNumber.FromE164("+447700900123"), "Your appointment is on Tuesday at 10:00.", "msg-1")
        {
            StatusCallback = new Uri("https://ehr.example.nhs.uk/m/twilio/status"),
        });

        result.Failure.Should().Be(ProviderFailureKind.None, result.ErrorDescription);
        result.ProviderMessageId.Should().Be(ExampleSid);
        result.RawStatus.Should().Be("queued");
        result.Segments.Should().Be(1);
    }

    [PeerFact(Variable)]
    public async Task A_send_through_a_messaging_service_with_an_api_key_is_accepted_and_mapped()
    {
        using var host = new TwilioTestHost(new Uri(Peers.Get(Variable)), o =>
        {
            o.From = null;
            o.MessagingServiceSid = "MG0123456789abcdef0123456789abcdef";
            o.ApiKeySid = "SK0123456789abcdef0123456789abcdef";
            o.ApiKeySecret = "api-key-secret";
            o.StatusCallbackUrl = new Uri("https://ehr.example.nhs.uk/m/twilio/status");
        });

        var result = await host.Provider.SendAsync(new SmsSendRequest(PhoneNumber.FromE164("+447700900123"), "Ünïcode — 👍 body", "msg-2"));

        result.Succeeded.Should().BeTrue(result.ErrorDescription);
        result.ProviderMessageId.Should().Be(ExampleSid);
    }

    [PeerFact(Variable)]
    public async Task A_request_outside_Twilios_contract_is_a_permanent_failure()
    {
        // A path the spec does not have (a base URL with an extra segment): Prism answers 404, permanent like any 4xx.
        using var host = new TwilioTestHost(new Uri(new Uri(Peers.Get(Variable)), "not-twilio/"));

        var result = await host.Provider.SendAsync(new SmsSendRequest(PhoneNumber.FromE164("+447700900123"), "Hello", "msg-3"));

        result.Failure.Should().Be(ProviderFailureKind.Permanent);
        result.ErrorCode.Should().Be("http_404");
    }
}
