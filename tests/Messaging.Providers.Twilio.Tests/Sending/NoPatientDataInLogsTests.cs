using System.Text;
using Messaging.Providers.Twilio.Tests.Support;

namespace Messaging.Providers.Twilio.Tests.Sending;

/// <summary>R22: whatever happens during a send, the logs (every category, at Trace) carry no number, body or secret.</summary>
public sealed class NoPatientDataInLogsTests
{
    private const string Number = "+447700900123";
    private const string Body = "Dear Ms Patel, your biopsy results are ready";
    private const string KeySecret = "key-secret-9c8b7a6f5e4d3c2b1a09";

    [Fact]
    public async Task Sends_that_succeed_fail_and_time_out_log_no_phone_number_body_or_credential()
    {
        var answers = new Queue<FakeResponse>(
        [
            new FakeResponse(201, $$"""{"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued", "num_segments": "1", "to": "{{Number}}", "body": "{{Body}}"}""")
            {
                Delay = TimeSpan.FromSeconds(2), // as slow as a cold first request on a loaded machine: still an answer, not a timeout
            },
            FakeResponse.TwilioError(400, 21211, $"The 'To' number {Number} is not a valid phone number."),
            FakeResponse.TwilioError(400, 21610, $"Attempt to send to unsubscribed recipient {Number}"),
            FakeResponse.TwilioError(500, 20500, $"Internal error while sending '{Body}'"),
            new FakeResponse(201, "{}") { Delay = TimeSpan.FromMinutes(10) },
        ]);
        await using var twilio = new FakeTwilioServer(_ => answers.Dequeue());
        // The four answered sends keep the test host's generous timeout: a cold first request on a loaded machine once took
        // longer than a 1-second timeout and came back "timeout". Only the send whose answer never comes in time gets a
        // short one, so the outcome of every send is the same however fast the machine is.
        using var host = new TwilioTestHost(twilio.BaseUrl);
        using var withKey = new TwilioTestHost(twilio.BaseUrl, o =>
        {
            o.ApiKeySid = "SK0123456789abcdef0123456789abcdef";
            o.ApiKeySecret = KeySecret;
            o.Timeout = TimeSpan.FromSeconds(1);
        });

        var results = new List<ProviderSendResult>();
        for (var i = 0; i < 4; i++)
        {
            results.Add(await host.Provider.SendAsync(new SmsSendRequest(PhoneNumber.FromE164(Number), Body, $"msg-{i}")));
        }

        results.Add(await withKey.Provider.SendAsync(new SmsSendRequest(PhoneNumber.FromE164(Number), Body, "msg-5")));

        results.Select(r => r.ErrorCode).Should().Equal(null, "21211", "21610", "20500", "timeout");
        var logs = host.Logs.AllText + "\n" + withKey.Logs.AllText;
        host.Logs.Lines.Should().NotBeEmpty("the provider and the HTTP client do log");
        logs.Should().Contain("SM0123456789abcdef0123456789abcdef").And.Contain("21211");
        logs.Should().Contain("Authorization: *", "HttpClient's header logging (Trace) runs, with every value redacted");
        logs.Should().NotContain("7700900123").And.NotContain("biopsy").And.NotContain("Patel");
        logs.Should().NotContain(TwilioTestHost.AuthToken).And.NotContain(KeySecret);
        logs.Should().NotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TwilioTestHost.AccountSid}:{TwilioTestHost.AuthToken}")));
        results.Select(r => r.ErrorDescription ?? string.Empty).Should().AllSatisfy(d => d.Should().NotContain("7700900123").And.NotContain("biopsy"));
    }
}
