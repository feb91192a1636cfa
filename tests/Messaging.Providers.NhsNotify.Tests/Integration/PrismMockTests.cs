using Messaging.Providers.NhsNotify.Tests.Support;
using Messaging.Testing.Peers;

namespace Messaging.Providers.NhsNotify.Tests.Integration;

/// <summary>
/// Sends through the providers to Prism serving NHS England's own OpenAPI spec (tools/peers/start-nhs-notify-mock.sh).
/// Prism validates each request against the spec (path, content type, the JSON:API body: routing plan as a uuid,
/// messageReference, recipient with no property outside the schema, contact details matching its patterns) and answers
/// 422 when it does not conform, so an accepted send proves the request matches NHS Notify's contract. The answer is
/// the spec's example.
/// </summary>
public sealed class PrismMockTests
{
    private const string Variable = "MESSAGING_NHSNOTIFY_BASE_URL";

    [PeerFact(Variable)]
    public async Task An_sms_is_accepted_by_nhs_notifys_contract_and_mapped()
    {
        using var host = new NhsNotifyTestHost(new Uri(Peers.Get(Variable)));

        var result = await host.Sms.SendAsync(new SmsSendRequest(PhoneNumber.FromE164("+447700900123"), "Ünïcode — 👍 your appointment is on Tuesday.", "msg-prism-1"));

        result.Failure.Should().Be(ProviderFailureKind.None, result.ErrorDescription);
        result.ProviderMessageId.Should().Be("msg-prism-1");
        result.RawStatus.Should().Be("created");
    }

    [PeerFact(Variable)]
    public async Task An_email_is_accepted_by_nhs_notifys_contract_and_mapped()
    {
        using var host = new NhsNotifyTestHost(new Uri(Peers.Get(Variable)));

        var result = await host.Email.SendAsync(new EmailSendRequest(EmailAddress.Parse("patient@example.org"), "Your results", "They are normal.", "msg-prism-2") { HtmlBody = "<p>x</p>" });

        result.Failure.Should().Be(ProviderFailureKind.None, result.ErrorDescription);
        result.RawStatus.Should().Be("created");
    }

    [PeerFact(Variable)]
    public async Task A_request_outside_the_contract_is_a_permanent_failure()
    {
        // A path the spec does not have: Prism answers 404, permanent like any 4xx other than 408/425/429.
        using var host = new NhsNotifyTestHost(new Uri(new Uri(Peers.Get(Variable)), "not-notify/"));

        var result = await host.Sms.SendAsync(new SmsSendRequest(PhoneNumber.FromE164("+447700900123"), "Hello", "msg-prism-3"));

        result.Failure.Should().Be(ProviderFailureKind.Permanent);
        result.ErrorCode.Should().Be("http_404");
    }
}
