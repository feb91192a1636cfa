using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Messaging.Providers.Smtp.Tests;

public sealed class SmtpFailuresTests
{
    [Fact]
    public void Refused_recipient_5xx_is_permanent_with_the_reply_code_and_the_address_masked()
    {
        var e = new SmtpCommandException(
            SmtpErrorCode.RecipientNotAccepted,
            SmtpStatusCode.MailboxUnavailable,
            new MailboxAddress(null, "ann.patient@refused.invalid"),
            "5.1.1 <ann.patient@refused.invalid>: Recipient address rejected: User unknown");

        var result = SmtpFailures.Map(e);

        result.Failure.Should().Be(ProviderFailureKind.Permanent);
        result.ErrorCode.Should().Be("550");
        result.ErrorDescription.Should().Contain("recipient refused").And.Contain("5.1.1").And.Contain("User unknown");
        result.ErrorDescription.Should().NotContain("ann.patient").And.NotContain("refused.invalid");
    }

    [Theory]
    [InlineData(SmtpStatusCode.MailboxBusy, "450")]
    [InlineData(SmtpStatusCode.ErrorInProcessing, "451")]
    [InlineData(SmtpStatusCode.InsufficientStorage, "452")]
    [InlineData(SmtpStatusCode.ServiceNotAvailable, "421")]
    public void Smtp_4xx_reply_is_transient_with_the_reply_code(SmtpStatusCode status, string code)
    {
        var result = SmtpFailures.Map(new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, status, "try again later"));

        result.Failure.Should().Be(ProviderFailureKind.Transient);
        result.ErrorCode.Should().Be(code);
    }

    [Theory]
    [InlineData(SmtpStatusCode.TransactionFailed, "554")]
    [InlineData(SmtpStatusCode.ExceededStorageAllocation, "552")]
    [InlineData(SmtpStatusCode.MailboxNameNotAllowed, "553")]
    public void Smtp_5xx_reply_to_the_message_is_permanent(SmtpStatusCode status, string code)
    {
        var result = SmtpFailures.Map(new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, status, "rejected"));

        result.Failure.Should().Be(ProviderFailureKind.Permanent);
        result.ErrorCode.Should().Be(code);
        result.ErrorDescription.Should().Contain("message refused");
    }

    [Fact]
    public void Refused_credentials_are_permanent_with_the_reply_code()
    {
        var inner = new SmtpCommandException(SmtpErrorCode.UnexpectedStatusCode, SmtpStatusCode.AuthenticationInvalidCredentials, "5.7.8 Authentication credentials invalid");
        var result = SmtpFailures.Map(new AuthenticationException("535: 5.7.8 Authentication credentials invalid", inner));

        result.Failure.Should().Be(ProviderFailureKind.Permanent);
        result.ErrorCode.Should().Be("535");
    }

    [Fact]
    public void Authentication_the_relay_says_to_retry_later_is_transient()
    {
        var inner = new SmtpCommandException(SmtpErrorCode.UnexpectedStatusCode, (SmtpStatusCode)454, "4.7.0 Temporary authentication failure");
        var result = SmtpFailures.Map(new AuthenticationException("454: 4.7.0 Temporary authentication failure", inner));

        result.Failure.Should().Be(ProviderFailureKind.Transient);
        result.ErrorCode.Should().Be("454");
    }

    [Fact]
    public void Relay_requiring_authentication_we_did_not_configure_is_permanent_530()
    {
        var result = SmtpFailures.Map(new ServiceNotAuthenticatedException("5.7.0 Authentication required"));

        result.Failure.Should().Be(ProviderFailureKind.Permanent);
        result.ErrorCode.Should().Be("530");
    }

    [Fact]
    public void Network_and_protocol_failures_are_transient()
    {
        SmtpFailures.Map(new SocketException((int)SocketError.ConnectionRefused))
            .Should().Match<ProviderSendResult>(r => r.Failure == ProviderFailureKind.Transient && r.ErrorCode == SmtpFailures.Connection);
        SmtpFailures.Map(new IOException("broken pipe"))
            .Should().Match<ProviderSendResult>(r => r.Failure == ProviderFailureKind.Transient && r.ErrorCode == SmtpFailures.Connection);
        SmtpFailures.Map(new SmtpProtocolException("The SMTP server has unexpectedly disconnected."))
            .Should().Match<ProviderSendResult>(r => r.Failure == ProviderFailureKind.Transient && r.ErrorCode == SmtpFailures.Protocol);
        SmtpFailures.Map(new ServiceNotConnectedException())
            .Should().Match<ProviderSendResult>(r => r.Failure == ProviderFailureKind.Transient && r.ErrorCode == SmtpFailures.Connection);
        SmtpFailures.Map(new TimeoutException())
            .Should().Match<ProviderSendResult>(r => r.Failure == ProviderFailureKind.Transient && r.ErrorCode == SmtpFailures.Timeout);
    }

    [Fact]
    public void Tls_set_up_problems_are_transient_so_messages_wait_for_the_operator()
    {
        SmtpFailures.Map(new SslHandshakeException("certificate untrusted"))
            .Should().Match<ProviderSendResult>(r => r.Failure == ProviderFailureKind.Transient && r.ErrorCode == SmtpFailures.Tls);
        SmtpFailures.Map(new NotSupportedException("The SMTP server does not support the STARTTLS extension."))
            .Should().Match<ProviderSendResult>(r => r.Failure == ProviderFailureKind.Transient && r.ErrorCode == SmtpFailures.StartTlsUnavailable);
    }

    [Fact]
    public void A_message_needing_an_extension_the_relay_lacks_is_permanent()
    {
        var result = SmtpFailures.Map(new NotSupportedException("The SMTP server does not support the SMTPUTF8 extension."));

        result.Failure.Should().Be(ProviderFailureKind.Permanent);
        result.ErrorCode.Should().Be(SmtpFailures.Unsupported);
        result.ErrorDescription.Should().Contain("SMTPUTF8");
    }

    [Fact]
    public void Reply_text_is_one_bounded_line_with_every_address_masked()
    {
        var text = "5.1.1 <a.b+c@x.example>:\r\n  unknown\tuser bob@y.example; " + new string('z', 500);

        var described = SmtpFailures.Describe(text);

        described.Should().StartWith("5.1.1 <***@***>: unknown user ***@***;");
        described.Should().NotContain("\n").And.NotContain("\t").And.NotContain("@x.example").And.NotContain("bob@");
        described.Length.Should().BeLessThanOrEqualTo(201);
    }

    [Fact]
    public void Only_a_refusal_of_this_message_leaves_the_connection_reusable()
    {
        SmtpFailures.ConnectionSurvives(new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, "no")).Should().BeTrue();
        SmtpFailures.ConnectionSurvives(new SmtpCommandException(SmtpErrorCode.SenderNotAccepted, SmtpStatusCode.ServiceNotAvailable, "closing")).Should().BeFalse();
        SmtpFailures.ConnectionSurvives(new IOException()).Should().BeFalse();
        SmtpFailures.ConnectionSurvives(new SmtpProtocolException("gone")).Should().BeFalse();
    }
}
