using Messaging.Providers.Smtp.Tests.Support;
using Messaging.Testing.Peers;

namespace Messaging.Providers.Smtp.Tests;

/// <summary>STARTTLS, implicit TLS and AUTH against the real TLS sinks started by tools/peers/start-smtp.sh (self-signed certificate).</summary>
public sealed class SmtpTlsIntegrationTests
{
    [PeerFact(SmtpSink.HostVariable)]
    public async Task Starttls_with_authentication_delivers_over_an_encrypted_authenticated_session()
    {
        var sink = SmtpSink.StartTls();
        await using var provider = TestProviders.ForSink(sink, o =>
        {
            o.TlsMode = SmtpTlsMode.StartTls;
            o.UserName = Peers.Get(SmtpSink.User);
            o.Password = Peers.Get(SmtpSink.Password);
            o.AllowInvalidCertificates = true;
        });

        var result = await provider.SendAsync(TestProviders.Request());

        result.Succeeded.Should().BeTrue(result.ErrorDescription);
        var mail = await sink.SingleMailAsync(result.ProviderMessageId);
        mail.Tls.Should().BeTrue();
        mail.Auth.Should().Be(Peers.Get(SmtpSink.User));
    }

    [PeerFact(SmtpSink.HostVariable)]
    public async Task Implicit_tls_with_authentication_delivers_over_an_encrypted_authenticated_session()
    {
        var sink = SmtpSink.ImplicitTls();
        await using var provider = TestProviders.ForSink(sink, o =>
        {
            o.TlsMode = SmtpTlsMode.ImplicitTls;
            o.UserName = Peers.Get(SmtpSink.User);
            o.Password = Peers.Get(SmtpSink.Password);
            o.ServerCertificateValidationCallback = (_, certificate, _, _) => certificate?.Subject == "CN=127.0.0.1";
        });

        var result = await provider.SendAsync(TestProviders.Request());

        result.Succeeded.Should().BeTrue(result.ErrorDescription);
        var mail = await sink.SingleMailAsync(result.ProviderMessageId);
        mail.Tls.Should().BeTrue();
        mail.Auth.Should().Be(Peers.Get(SmtpSink.User));
    }

    [PeerFact(SmtpSink.HostVariable)]
    public async Task Wrong_password_is_a_permanent_failure_with_code_535_that_never_shows_the_password()
    {
        var sink = SmtpSink.StartTls();
        var logger = new CapturingLogger();
        await using var provider = TestProviders.ForSink(sink, o =>
        {
            o.TlsMode = SmtpTlsMode.StartTls;
            o.UserName = Peers.Get(SmtpSink.User);
            o.Password = "Wr0ng-Passw0rd!";
            o.AllowInvalidCertificates = true;
        }, logger: logger);

        var result = await provider.SendAsync(TestProviders.Request());

        result.Failure.Should().Be(ProviderFailureKind.Permanent);
        result.ErrorCode.Should().Be("535");
        result.ErrorDescription.Should().NotContain("Wr0ng-Passw0rd!");
        logger.Lines.Should().NotContain(l => l.Text.Contains("Wr0ng-Passw0rd!", StringComparison.Ordinal));
    }

    [PeerFact(SmtpSink.HostVariable)]
    public async Task Relay_requiring_authentication_refuses_a_provider_without_credentials_permanently()
    {
        var sink = SmtpSink.StartTls();
        await using var provider = TestProviders.ForSink(sink, o =>
        {
            o.TlsMode = SmtpTlsMode.StartTls;
            o.AllowInvalidCertificates = true;
        });

        var result = await provider.SendAsync(TestProviders.Request());

        result.Failure.Should().Be(ProviderFailureKind.Permanent);
        result.ErrorCode.Should().Be("530");
    }

    [PeerFact(SmtpSink.HostVariable)]
    public async Task Untrusted_certificate_is_refused_by_default_and_nothing_is_sent()
    {
        var sink = SmtpSink.StartTls();
        await using var provider = TestProviders.ForSink(sink, o =>
        {
            o.TlsMode = SmtpTlsMode.StartTls;
            o.UserName = Peers.Get(SmtpSink.User);
            o.Password = Peers.Get(SmtpSink.Password);
        });
        var request = TestProviders.Request();

        var result = await provider.SendAsync(request);

        result.Failure.Should().Be(ProviderFailureKind.Transient);
        result.ErrorCode.Should().Be(SmtpFailures.Tls);
        (await sink.MailsWithMessageIdAsync(provider.MessageIdFor(request.IdempotencyKey))).Should().BeEmpty();
    }

    [PeerFact(SmtpSink.HostVariable)]
    public async Task Authenticated_tls_connection_is_reused_across_sends()
    {
        var sink = SmtpSink.ImplicitTls();
        await using var provider = TestProviders.ForSink(sink, o =>
        {
            o.TlsMode = SmtpTlsMode.ImplicitTls;
            o.UserName = Peers.Get(SmtpSink.User);
            o.Password = Peers.Get(SmtpSink.Password);
            o.AllowInvalidCertificates = true;
        });

        var a = await provider.SendAsync(TestProviders.Request());
        var b = await provider.SendAsync(TestProviders.Request());

        (await sink.SingleMailAsync(b.ProviderMessageId)).Connection.Should().Be((await sink.SingleMailAsync(a.ProviderMessageId)).Connection);
    }
}
