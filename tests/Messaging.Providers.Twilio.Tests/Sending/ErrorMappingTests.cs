using System.Globalization;
using Messaging.Providers.Twilio.Tests.Support;

namespace Messaging.Providers.Twilio.Tests.Sending;

/// <summary>Twilio-shaped failures from a real local HTTP server, mapped to transient or permanent results.</summary>
public sealed class ErrorMappingTests
{
    private static readonly PhoneNumber Patient = PhoneNumber.FromE164("+447700900123");
    private static readonly SmsSendRequest Request = new(Patient, "Your results are ready", "msg-7");

    [Fact]
    public async Task Invalid_number_21211_is_permanent_with_Twilios_code_and_no_patient_data_in_the_description()
    {
        await using var twilio = new FakeTwilioServer(FakeResponse.TwilioError(400, 21211, "The 'To' number +447700900123 is not a valid phone number."));
        using var host = new TwilioTestHost(twilio.BaseUrl);

        var result = await host.Provider.SendAsync(Request);

        result.Failure.Should().Be(ProviderFailureKind.Permanent);
        result.ErrorCode.Should().Be("21211");
        result.RecipientOptedOut.Should().BeFalse();
        result.ErrorDescription.Should().Contain("21211").And.NotContain("+447700900123").And.NotContain("7700900123").And.NotContain("results");
    }

    [Fact]
    public async Task Unsubscribed_recipient_21610_is_permanent_and_reports_the_opt_out()
    {
        await using var twilio = new FakeTwilioServer(FakeResponse.TwilioError(400, 21610, "Attempt to send to unsubscribed recipient"));
        using var host = new TwilioTestHost(twilio.BaseUrl);

        var result = await host.Provider.SendAsync(Request);

        result.Failure.Should().Be(ProviderFailureKind.Permanent);
        result.ErrorCode.Should().Be("21610");
        result.RecipientOptedOut.Should().BeTrue();
    }

    [Fact]
    public async Task Bad_credentials_are_permanent_with_Twilios_authentication_code()
    {
        await using var twilio = new FakeTwilioServer(FakeResponse.TwilioError(401, 20003, "Authenticate"));
        using var host = new TwilioTestHost(twilio.BaseUrl);

        var result = await host.Provider.SendAsync(Request);

        result.Failure.Should().Be(ProviderFailureKind.Permanent);
        result.ErrorCode.Should().Be("20003");
        result.ErrorDescription.Should().Contain("credentials");
    }

    [Fact]
    public async Task Throttling_429_is_transient_and_honours_Retry_After_in_seconds()
    {
        await using var twilio = new FakeTwilioServer(FakeResponse.TwilioError(429, 20429, "Too Many Requests") with
        {
            Headers = new Dictionary<string, string> { ["Retry-After"] = "7" },
        });
        using var host = new TwilioTestHost(twilio.BaseUrl);

        var result = await host.Provider.SendAsync(Request);

        result.Failure.Should().Be(ProviderFailureKind.Transient);
        result.ErrorCode.Should().Be("20429");
        result.RetryAfter.Should().Be(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task Retry_After_as_an_HTTP_date_is_measured_from_the_answers_Date_header()
    {
        var date = new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);
        await using var twilio = new FakeTwilioServer(new FakeResponse(503, "<html>busy</html>", "text/html")
        {
            Headers = new Dictionary<string, string>
            {
                ["Retry-After"] = date.AddSeconds(90).ToString("r", CultureInfo.InvariantCulture),
                ["Date"] = date.ToString("r", CultureInfo.InvariantCulture),
            },
        });
        using var host = new TwilioTestHost(twilio.BaseUrl);

        var result = await host.Provider.SendAsync(Request);

        result.Failure.Should().Be(ProviderFailureKind.Transient);
        result.ErrorCode.Should().Be("http_503", "an HTML error page carries no Twilio code");
        result.RetryAfter.Should().Be(TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task A_server_error_500_is_transient()
    {
        await using var twilio = new FakeTwilioServer(FakeResponse.TwilioError(500, 20500, "Internal Server Error"));
        using var host = new TwilioTestHost(twilio.BaseUrl);

        var result = await host.Provider.SendAsync(Request);

        result.Failure.Should().Be(ProviderFailureKind.Transient);
        result.ErrorCode.Should().Be("20500");
        result.RetryAfter.Should().BeNull();
    }

    [Fact]
    public async Task A_hang_beyond_the_timeout_is_transient_and_does_not_wait_for_the_server()
    {
        await using var twilio = new FakeTwilioServer(new FakeResponse(201, "{}") { Delay = TimeSpan.FromMinutes(10) });
        using var host = new TwilioTestHost(twilio.BaseUrl, o => o.Timeout = TimeSpan.FromSeconds(1));

        var sending = host.Provider.SendAsync(Request);
        var finished = await Task.WhenAny(sending, Task.Delay(TimeSpan.FromSeconds(20)));

        finished.Should().BeSameAs(sending, "the provider's timeout, not the server, ends the call");
        var result = await sending;
        result.Failure.Should().Be(ProviderFailureKind.Transient);
        result.ErrorCode.Should().Be("timeout");
        twilio.Requests.Should().ContainSingle("the POST is never retried inside the provider");
    }

    [Fact]
    public async Task A_refused_connection_is_transient()
    {
        Uri deadUrl;
        await using (var gone = new FakeTwilioServer(new FakeResponse(201)))
        {
            deadUrl = gone.BaseUrl;
        }

        using var host = new TwilioTestHost(deadUrl);

        var result = await host.Provider.SendAsync(Request);

        result.Failure.Should().Be(ProviderFailureKind.Transient);
        result.ErrorCode.Should().Be("network");
    }

    [Fact]
    public async Task The_callers_cancellation_is_thrown_not_reported_as_a_failure()
    {
        await using var twilio = new FakeTwilioServer(new FakeResponse(201, "{}") { Delay = TimeSpan.FromMinutes(10) });
        using var host = new TwilioTestHost(twilio.BaseUrl);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var act = () => host.Provider.SendAsync(Request, cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task A_2xx_without_a_message_sid_is_permanent_so_a_possibly_created_SMS_is_not_sent_twice()
    {
        await using var twilio = new FakeTwilioServer(new FakeResponse(200, "<html>captive portal</html>", "text/html"));
        using var host = new TwilioTestHost(twilio.BaseUrl);

        var result = await host.Provider.SendAsync(Request);

        result.Failure.Should().Be(ProviderFailureKind.Permanent);
        result.ErrorCode.Should().Be("invalid_response");
    }

    [Fact]
    public async Task Repeated_server_errors_open_the_circuit_and_later_sends_fail_fast_without_reaching_Twilio()
    {
        await using var twilio = new FakeTwilioServer(FakeResponse.TwilioError(500, 20500, "Internal Server Error"));
        using var host = new TwilioTestHost(twilio.BaseUrl);
        for (var i = 0; i < 10; i++)
        {
            (await host.Provider.SendAsync(Request)).ErrorCode.Should().Be("20500");
        }

        var result = await host.Provider.SendAsync(Request);

        result.Failure.Should().Be(ProviderFailureKind.Transient);
        result.ErrorCode.Should().Be("circuit_open");
        result.RetryAfter.Should().BePositive();
        twilio.Requests.Should().HaveCount(10);
    }

    [Fact]
    public async Task Permanent_refusals_do_not_open_the_circuit()
    {
        await using var twilio = new FakeTwilioServer(FakeResponse.TwilioError(400, 21211, "invalid"));
        using var host = new TwilioTestHost(twilio.BaseUrl);

        for (var i = 0; i < 12; i++)
        {
            (await host.Provider.SendAsync(Request)).ErrorCode.Should().Be("21211");
        }

        twilio.Requests.Should().HaveCount(12);
    }

    [Fact]
    public async Task A_configured_failure_threshold_opens_the_circuit_after_that_many_sends()
    {
        await using var twilio = new FakeTwilioServer(FakeResponse.TwilioError(500, 20500, "Internal Server Error"));
        using var host = new TwilioTestHost(twilio.BaseUrl, o =>
        {
            o.CircuitBreakerMinimumThroughput = 3;
            o.CircuitBreakerFailureRatio = 1;
            o.CircuitBreakerBreakDuration = TimeSpan.FromHours(1); // stays open for the rest of the test, however slow the machine
        });
        for (var i = 0; i < 3; i++)
        {
            (await host.Provider.SendAsync(Request)).ErrorCode.Should().Be("20500");
        }

        var result = await host.Provider.SendAsync(Request);

        result.ErrorCode.Should().Be("circuit_open", "three failures out of three reach the configured threshold (the default needs ten)");
        result.RetryAfter.Should().BeGreaterThan(TimeSpan.FromMinutes(30), "the configured break duration is an hour");
        twilio.Requests.Should().HaveCount(3);
    }
}
