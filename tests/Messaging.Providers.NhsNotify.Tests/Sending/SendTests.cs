using Messaging.Providers.NhsNotify.Tests.Support;

namespace Messaging.Providers.NhsNotify.Tests.Sending;

/// <summary>What the providers put on the wire and how they read NHS Notify's answers, against an in-process server.</summary>
public sealed class SendTests
{
    private static readonly PhoneNumber Patient = PhoneNumber.FromE164("+447700900123");
    private static readonly EmailAddress Address = EmailAddress.Parse("patient@example.org");

    [Fact]
    public async Task An_sms_is_one_json_api_post_with_the_global_sms_plan_the_reference_the_number_and_sms_body()
    {
        await using var server = new FakeNhsNotifyServer(r => FakeResponse.Created("msg-1"));
        using var host = new NhsNotifyTestHost(new Uri(server.BaseUrl, "comms/"));

        var result = await host.Sms.SendAsync(new SmsSendRequest(Patient, "Your appointment is on Tuesday.", "msg-1"));

        result.Succeeded.Should().BeTrue(result.ErrorDescription);
        result.ProviderMessageId.Should().Be("msg-1", "the reference is the id callbacks carry");
        result.RawStatus.Should().Be("created");
        var request = server.Requests.Should().ContainSingle().Subject;
        request.Method.Should().Be("POST");
        request.Path.Should().Be("/comms/v1/messages");
        request.Headers["Content-Type"].Should().StartWith("application/vnd.api+json");
        request.Headers["Authorization"].Should().Be($"Bearer {NhsNotifyTestHost.AccessToken}");
        var data = request.Json["data"]!;
        data["type"]!.GetValue<string>().Should().Be("Message");
        var attributes = data["attributes"]!;
        attributes["routingPlanId"]!.GetValue<string>().Should().Be("00000000-0000-0000-0000-000000000003");
        attributes["messageReference"]!.GetValue<string>().Should().Be("msg-1");
        attributes["recipient"]!["contactDetails"]!["sms"]!.GetValue<string>().Should().Be("+447700900123");
        attributes["recipient"]!["contactDetails"]!["email"].Should().BeNull();
        attributes["personalisation"]!.AsObject().Select(p => p.Key).Should().Equal("sms_body");
        attributes["personalisation"]!["sms_body"]!.GetValue<string>().Should().Be("Your appointment is on Tuesday.");
    }

    [Fact]
    public async Task An_email_uses_the_global_email_plan_with_subject_and_text_body_and_no_html()
    {
        await using var server = new FakeNhsNotifyServer(r => FakeResponse.Created("msg-2"));
        using var host = new NhsNotifyTestHost(server.BaseUrl);

        var result = await host.Email.SendAsync(new EmailSendRequest(Address, "Your results", "They are normal.", "msg-2") { HtmlBody = "<p>They are normal.</p>" });

        result.Succeeded.Should().BeTrue(result.ErrorDescription);
        var attributes = server.Requests.Should().ContainSingle().Subject.Json["data"]!["attributes"]!;
        attributes["routingPlanId"]!.GetValue<string>().Should().Be("00000000-0000-0000-0000-000000000002");
        attributes["recipient"]!["contactDetails"]!["email"]!.GetValue<string>().Should().Be("patient@example.org");
        attributes["personalisation"]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo("email_subject", "email_body");
        attributes["personalisation"]!["email_subject"]!.GetValue<string>().Should().Be("Your results");
        attributes["personalisation"]!["email_body"]!.GetValue<string>().Should().Be("They are normal.");
    }

    [Fact]
    public async Task Configured_routing_plans_replace_the_global_ones()
    {
        var plan = Guid.Parse("b838b13c-f98c-4def-93f0-515d4e4f4ee1");
        await using var server = new FakeNhsNotifyServer(r => FakeResponse.Created("k"));
        using var host = new NhsNotifyTestHost(server.BaseUrl, o => o.SmsRoutingPlanId = plan);

        await host.Sms.SendAsync(new SmsSendRequest(Patient, "Hi", "k"));

        server.Requests.Single().Json["data"]!["attributes"]!["routingPlanId"]!.GetValue<string>().Should().Be(plan.ToString());
    }

    [Fact]
    public async Task A_retry_nhs_notify_already_has_is_the_original_message_not_a_failure()
    {
        // 422 CM_DUPLICATE_REQUEST: an earlier attempt (whose answer was lost) created the message.
        await using var server = new FakeNhsNotifyServer(FakeResponse.NhsNotifyError(422, "CM_DUPLICATE_REQUEST", "Request exists with identical messageReference"));
        using var host = new NhsNotifyTestHost(server.BaseUrl);

        var result = await host.Sms.SendAsync(new SmsSendRequest(Patient, "Hi", "msg-dup"));

        result.Succeeded.Should().BeTrue();
        result.ProviderMessageId.Should().Be("msg-dup");
        result.RawStatus.Should().Be("duplicate");
    }

    [Fact]
    public async Task A_422_that_is_not_a_duplicate_is_permanent()
    {
        await using var server = new FakeNhsNotifyServer(FakeResponse.NhsNotifyError(422, "CM_INVALID_VALUE", "no"));
        using var host = new NhsNotifyTestHost(server.BaseUrl);

        var result = await host.Sms.SendAsync(new SmsSendRequest(Patient, "Hi", "msg-x"));

        result.Failure.Should().Be(ProviderFailureKind.Permanent);
        result.ErrorCode.Should().Be("CM_INVALID_VALUE");
    }

    [Theory]
    [InlineData(400, "CM_INVALID_VALUE", ProviderFailureKind.Permanent)]
    [InlineData(401, "CM_DENIED", ProviderFailureKind.Permanent)]
    [InlineData(403, "CM_FORBIDDEN", ProviderFailureKind.Permanent)]
    [InlineData(404, "CM_NO_SUCH_ROUTING_PLAN", ProviderFailureKind.Permanent)]
    [InlineData(408, "CM_TIMEOUT", ProviderFailureKind.Transient)]
    [InlineData(413, "CM_TOO_LARGE", ProviderFailureKind.Permanent)]
    [InlineData(415, "CM_UNSUPPORTED_MEDIA", ProviderFailureKind.Permanent)]
    [InlineData(425, "CM_RETRY_TOO_EARLY", ProviderFailureKind.Transient)]
    [InlineData(429, "CM_QUOTA", ProviderFailureKind.Transient)]
    [InlineData(500, "CM_INTERNAL_SERVER_ERROR", ProviderFailureKind.Transient)]
    [InlineData(502, "CM_BAD_GATEWAY", ProviderFailureKind.Transient)]
    [InlineData(503, "CM_SERVICE_UNAVAILABLE", ProviderFailureKind.Transient)]
    [InlineData(504, "CM_TIMEOUT", ProviderFailureKind.Transient)]
    public async Task Every_documented_error_maps_to_its_kind_with_nhs_notifys_code(int status, string code, ProviderFailureKind kind)
    {
        await using var server = new FakeNhsNotifyServer(FakeResponse.NhsNotifyError(status, code, "The value +447700900123 is not valid"));
        using var host = new NhsNotifyTestHost(server.BaseUrl);

        var result = await host.Sms.SendAsync(new SmsSendRequest(Patient, "Hi", "msg-e"));

        result.Failure.Should().Be(kind);
        result.ErrorCode.Should().Be(code);
        result.ErrorDescription.Should().NotContain("447700900123").And.Contain(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task An_error_without_nhs_notifys_body_is_coded_by_its_http_status()
    {
        await using var server = new FakeNhsNotifyServer(new FakeResponse(502, "<html>Bad gateway</html>", "text/html"));
        using var host = new NhsNotifyTestHost(server.BaseUrl);

        var result = await host.Sms.SendAsync(new SmsSendRequest(Patient, "Hi", "msg-h"));

        result.Failure.Should().Be(ProviderFailureKind.Transient);
        result.ErrorCode.Should().Be("http_502");
    }

    [Fact]
    public async Task A_body_over_nhs_notifys_limit_fails_permanently_without_a_request()
    {
        await using var server = new FakeNhsNotifyServer(r => FakeResponse.Created("k"));
        using var host = new NhsNotifyTestHost(server.BaseUrl);

        var sms = await host.Sms.SendAsync(new SmsSendRequest(Patient, new string('a', 919), "k1"));
        var email = await host.Email.SendAsync(new EmailSendRequest(Address, "S", new string('a', 100_001), "k2"));
        var smsAtLimit = await host.Sms.SendAsync(new SmsSendRequest(Patient, new string('a', 918), "k3"));

        sms.Failure.Should().Be(ProviderFailureKind.Permanent);
        sms.ErrorCode.Should().Be("body_too_long");
        email.ErrorCode.Should().Be("body_too_long");
        smsAtLimit.Succeeded.Should().BeTrue();
        server.Requests.Should().ContainSingle("only the message within the limit was sent");
    }
}
