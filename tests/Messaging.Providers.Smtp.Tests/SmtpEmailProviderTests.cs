using Messaging.Providers.Smtp.Tests.Support;
using Microsoft.Extensions.Options;

namespace Messaging.Providers.Smtp.Tests;

/// <summary>Behaviour that needs no SMTP server: a relay that is down, one that hangs, cancellation, disposal, guards.</summary>
public sealed class SmtpEmailProviderTests
{
    [Fact]
    public async Task Relay_that_is_down_gives_a_transient_connection_failure()
    {
        await using var provider = TestProviders.Create(TestProviders.Options("127.0.0.1", Servers.PortNobodyListensOn()));

        var result = await provider.SendAsync(TestProviders.Request());

        result.Failure.Should().Be(ProviderFailureKind.Transient);
        result.ErrorCode.Should().Be(SmtpFailures.Connection);
        result.ErrorDescription.Should().Contain("ConnectionRefused");
    }

    [Fact]
    public async Task Relay_that_never_answers_gives_a_transient_timeout_after_the_configured_timeout()
    {
        using var silent = new SilentServer();
        await using var provider = TestProviders.Create(TestProviders.Options("127.0.0.1", silent.Port, o => o.Timeout = TimeSpan.FromSeconds(1)));

        var result = await provider.SendAsync(TestProviders.Request());

        result.Failure.Should().Be(ProviderFailureKind.Transient);
        result.ErrorCode.Should().Be(SmtpFailures.Timeout);
    }

    [Fact]
    public async Task Caller_cancellation_propagates_instead_of_becoming_a_failure_result()
    {
        using var silent = new SilentServer();
        await using var provider = TestProviders.Create(TestProviders.Options("127.0.0.1", silent.Port, o => o.Timeout = TimeSpan.FromSeconds(30)));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var send = () => provider.SendAsync(TestProviders.Request(), cts.Token);

        await send.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Failures_and_logs_never_carry_the_recipient_subject_or_body()
    {
        var logger = new CapturingLogger();
        await using var provider = TestProviders.Create(TestProviders.Options("127.0.0.1", Servers.PortNobodyListensOn()), logger: logger);
        var request = new EmailSendRequest(EmailAddress.Parse("ann.patient@example.test"), "Biopsy results", "Your biopsy was clear", "k-1") { ToName = "Ann Patient" };

        var result = await provider.SendAsync(request);

        logger.Lines.Should().NotBeEmpty();
        var everything = string.Join("\n", logger.Lines.Select(l => l.Text)) + result.ErrorDescription;
        everything.Should().NotContain("ann.patient").And.NotContain("Ann Patient").And.NotContain("Biopsy").And.NotContain("biopsy");
    }

    [Fact]
    public async Task Send_after_dispose_is_refused()
    {
        var provider = TestProviders.Create(TestProviders.Options("127.0.0.1", Servers.PortNobodyListensOn()));
        await provider.DisposeAsync();

        var send = () => provider.SendAsync(TestProviders.Request());

        await send.Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task Request_without_idempotency_key_is_a_programming_error()
    {
        await using var provider = TestProviders.Create(TestProviders.Options("127.0.0.1", Servers.PortNobodyListensOn()));
        var request = TestProviders.Request() with { IdempotencyKey = " " };

        var send = () => provider.SendAsync(request);

        await send.Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public void Invalid_options_are_refused_when_the_provider_is_built_directly()
    {
        var build = () => TestProviders.Create(new SmtpEmailOptions { FromAddress = "clinic@nhs.test" });

        build.Should().Throw<OptionsValidationException>().WithMessage("*Host is required*");
    }

    [Fact]
    public async Task Provider_is_named_smtp_and_reports_the_message_id_it_will_use()
    {
        await using var provider = TestProviders.Create(TestProviders.Options("127.0.0.1", 25));

        provider.Name.Should().Be("smtp");
        provider.MessageIdFor("k-1").Should().Be($"<{SmtpMessages.MessageIdFor("k-1", "riverside.nhs.test")}>");
    }
}
