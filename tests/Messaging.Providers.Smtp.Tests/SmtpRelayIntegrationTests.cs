using Messaging.Providers.Smtp.Tests.Support;
using Messaging.Testing.Peers;
using NodaTime;
using NodaTime.Testing;

namespace Messaging.Providers.Smtp.Tests;

/// <summary>
/// Sends through the provider to the real plain SMTP server started by tools/peers/start-smtp.sh and reads back what
/// arrived. Keep every test that uses the plain sink in this class: some drop the sink's connections.
/// </summary>
public sealed partial class SmtpRelayIntegrationTests
{
    private const string Link = "https://ehr.riverside.nhs.test/m/r/AbC-123_xyz?t=9f8e7d6c5b4a&lang=en#reply";

    [PeerFact(SmtpSink.HostVariable)]
    public async Task Email_arrives_with_its_headers_both_body_parts_and_the_link_intact()
    {
        var sink = SmtpSink.Plain();
        await using var provider = TestProviders.ForSink(sink);
        var to = $"ann.{Guid.NewGuid():N}@example.test";
        var request = new EmailSendRequest(
            EmailAddress.Parse(to),
            "Your appointment – Riverside Clinic",
            $"Dear patient,\nplease confirm here: {Link}\nThank you.",
            Guid.NewGuid().ToString("N"))
        {
            ToName = "Ann Patient",
            HtmlBody = $"<p>Dear patient,</p><p><a href=\"{Link.Replace("&", "&amp;", StringComparison.Ordinal)}\">Confirm</a> — thank you.</p>",
        };

        var result = await provider.SendAsync(request);

        result.Succeeded.Should().BeTrue(result.ErrorDescription);
        result.ProviderMessageId.Should().Be(provider.MessageIdFor(request.IdempotencyKey));
        var mail = await sink.SingleMailAsync(result.ProviderMessageId);
        mail.Subject.Should().Be("Your appointment – Riverside Clinic");
        mail.From.Should().ContainSingle().Which.Should().Be(new SinkAddress("Riverside Clinic", "clinic@riverside.nhs.test"));
        mail.To.Should().ContainSingle().Which.Should().Be(new SinkAddress("Ann Patient", to));
        mail.Envelope.From.Should().Be("clinic@riverside.nhs.test");
        mail.Envelope.To.Should().Equal(to);
        mail.Headers["content-type"].Should().StartWith("multipart/alternative");
        mail.Headers["date"].Should().Be("Mon, 23 Nov 2026 09:30:15 +0000");
        mail.Text.Should().Contain(Link).And.Contain("Thank you.");
        mail.Html.Should().Contain($"href=\"{Link.Replace("&", "&amp;", StringComparison.Ordinal)}\"").And.Contain("— thank you.");
        mail.Tls.Should().BeFalse();
    }

    [PeerFact(SmtpSink.HostVariable)]
    public async Task Text_only_email_arrives_as_a_single_plain_part()
    {
        var sink = SmtpSink.Plain();
        await using var provider = TestProviders.ForSink(sink);

        var result = await provider.SendAsync(TestProviders.Request(html: null) with { TextBody = "Just text." });

        var mail = await sink.SingleMailAsync(result.ProviderMessageId);
        mail.Headers["content-type"].Should().StartWith("text/plain");
        mail.Text.Should().StartWith("Just text.");
        mail.Html.Should().BeNull();
    }

    [PeerFact(SmtpSink.HostVariable)]
    public async Task A_retried_send_carries_the_same_message_id_so_the_duplicate_is_recognisable()
    {
        var sink = SmtpSink.Plain();
        await using var first = TestProviders.ForSink(sink);
        await using var afterRestart = TestProviders.ForSink(sink);
        var request = TestProviders.Request();

        var a = await first.SendAsync(request);
        var b = await afterRestart.SendAsync(request);

        b.ProviderMessageId.Should().Be(a.ProviderMessageId);
        (await sink.MailsWithMessageIdAsync(a.ProviderMessageId!)).Should().HaveCount(2);
    }

    [PeerFact(SmtpSink.HostVariable)]
    public async Task Recipient_refused_with_550_is_a_permanent_failure_keeping_the_code_and_not_the_address()
    {
        var sink = SmtpSink.Plain();
        var logger = new CapturingLogger();
        await using var provider = TestProviders.ForSink(sink, logger: logger);
        var to = $"ann.{Guid.NewGuid():N}@refused.invalid";

        var result = await provider.SendAsync(TestProviders.Request(to));

        result.Failure.Should().Be(ProviderFailureKind.Permanent);
        result.ErrorCode.Should().Be("550");
        result.ErrorDescription.Should().Contain("5.1.1").And.Contain("Recipient address rejected");
        result.ErrorDescription.Should().NotContain("ann.").And.NotContain("refused.invalid");
        logger.Lines.Should().Contain(l => l.Text.Contains("550", StringComparison.Ordinal));
        logger.Lines.Should().NotContain(l => l.Text.Contains("ann.", StringComparison.Ordinal) || l.Text.Contains("refused.invalid", StringComparison.Ordinal));
        (await sink.MailsToAsync(to)).Should().BeEmpty();
    }

    [PeerFact(SmtpSink.HostVariable)]
    public async Task Recipient_deferred_with_451_is_a_transient_failure_keeping_the_code()
    {
        var sink = SmtpSink.Plain();
        await using var provider = TestProviders.ForSink(sink);

        var result = await provider.SendAsync(TestProviders.Request($"ann.{Guid.NewGuid():N}@tempfail.invalid"));

        result.Failure.Should().Be(ProviderFailureKind.Transient);
        result.ErrorCode.Should().Be("451");
        result.ErrorDescription.Should().Contain("4.3.0");
    }

    [PeerFact(SmtpSink.HostVariable)]
    public async Task Sequential_sends_reuse_one_connection()
    {
        var sink = SmtpSink.Plain();
        await using var provider = TestProviders.ForSink(sink);
        var connections = new List<int>();

        for (var i = 0; i < 5; i++)
        {
            var result = await provider.SendAsync(TestProviders.Request());
            connections.Add((await sink.SingleMailAsync(result.ProviderMessageId)).Connection);
        }

        connections.Distinct().Should().ContainSingle("every send after the first should reuse the open connection");
    }

    [PeerFact(SmtpSink.HostVariable)]
    public async Task A_refused_recipient_leaves_the_connection_usable_for_the_next_message()
    {
        var sink = SmtpSink.Plain();
        await using var provider = TestProviders.ForSink(sink, o => o.MaxConnections = 1);

        var before = await provider.SendAsync(TestProviders.Request());
        var refused = await provider.SendAsync(TestProviders.Request($"x{Guid.NewGuid():N}@refused.invalid"));
        var after = await provider.SendAsync(TestProviders.Request());

        refused.ErrorCode.Should().Be("550");
        after.Succeeded.Should().BeTrue(after.ErrorDescription);
        (await sink.SingleMailAsync(after.ProviderMessageId)).Connection
            .Should().Be((await sink.SingleMailAsync(before.ProviderMessageId)).Connection);
    }

    [PeerFact(SmtpSink.HostVariable)]
    public async Task Concurrent_sends_all_arrive_over_at_most_max_connections()
    {
        var sink = SmtpSink.Plain();
        await using var provider = TestProviders.ForSink(sink, o => o.MaxConnections = 3);

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => provider.SendAsync(TestProviders.Request())));

        results.Should().OnlyContain(r => r.Succeeded);
        var mails = await Task.WhenAll(results.Select(r => sink.SingleMailAsync(r.ProviderMessageId)));
        mails.Select(m => m.Connection).Distinct().Count().Should().BeInRange(1, 3);
    }

    [PeerFact(SmtpSink.HostVariable)]
    public async Task Connection_the_relay_dropped_is_replaced_and_the_send_still_succeeds()
    {
        var sink = SmtpSink.Plain();
        var logger = new CapturingLogger();
        // A long idle check, so the stale connection is found by the send itself and replaced once.
        await using var provider = TestProviders.ForSink(sink, o => { o.MaxConnections = 1; o.IdleCheckAfter = TimeSpan.FromHours(1); }, logger: logger);

        var first = await provider.SendAsync(TestProviders.Request());
        await DropUntilClosedAsync(sink);
        var second = await provider.SendAsync(TestProviders.Request());

        second.Succeeded.Should().BeTrue(second.ErrorDescription);
        (await sink.SingleMailAsync(second.ProviderMessageId)).Connection
            .Should().NotBe((await sink.SingleMailAsync(first.ProviderMessageId)).Connection);
        logger.Lines.Should().Contain(l => l.Id.Id == 9004, "replacing a stale connection is logged");
    }

    [PeerFact(SmtpSink.HostVariable)]
    public async Task Connection_idle_past_the_check_interval_is_checked_with_noop_and_replaced_when_dead()
    {
        var sink = SmtpSink.Plain();
        var clock = new FakeClock(TestProviders.Now);
        var logger = new CapturingLogger();
        await using var provider = TestProviders.ForSink(sink, o => { o.MaxConnections = 1; o.IdleCheckAfter = TimeSpan.FromSeconds(15); }, clock, logger);

        var first = await provider.SendAsync(TestProviders.Request());
        await DropUntilClosedAsync(sink);
        clock.Advance(Duration.FromSeconds(16));
        var second = await provider.SendAsync(TestProviders.Request());

        second.Succeeded.Should().BeTrue(second.ErrorDescription);
        (await sink.SingleMailAsync(second.ProviderMessageId)).Connection
            .Should().NotBe((await sink.SingleMailAsync(first.ProviderMessageId)).Connection);
        logger.Lines.Should().Contain(l => l.Id.Id == 9004 && l.Text.Contains("NOOP", StringComparison.Ordinal));
    }

    [PeerFact(SmtpSink.HostVariable)]
    public async Task Connection_idle_within_the_check_interval_is_reused_without_a_check()
    {
        var sink = SmtpSink.Plain();
        var clock = new FakeClock(TestProviders.Now);
        await using var provider = TestProviders.ForSink(sink, o => { o.MaxConnections = 1; o.IdleCheckAfter = TimeSpan.FromSeconds(15); }, clock);

        var first = await provider.SendAsync(TestProviders.Request());
        clock.Advance(Duration.FromSeconds(10));
        var second = await provider.SendAsync(TestProviders.Request());

        (await sink.SingleMailAsync(second.ProviderMessageId)).Connection
            .Should().Be((await sink.SingleMailAsync(first.ProviderMessageId)).Connection);
    }

    [PeerFact(SmtpSink.HostVariable)]
    public async Task Tls_mode_starttls_against_a_relay_without_starttls_is_refused_rather_than_sent_in_clear()
    {
        var sink = SmtpSink.Plain();
        await using var provider = TestProviders.ForSink(sink, o => o.TlsMode = SmtpTlsMode.StartTls);
        var request = TestProviders.Request();

        var result = await provider.SendAsync(request);

        result.Failure.Should().Be(ProviderFailureKind.Transient);
        result.ErrorCode.Should().Be(SmtpFailures.StartTlsUnavailable);
        (await sink.MailsWithMessageIdAsync(provider.MessageIdFor(request.IdempotencyKey))).Should().BeEmpty();
    }

    /// <summary>
    /// Closes, from the server side, every open connection to the plain sink, the provider's idle one included. Only
    /// this class uses the plain sink, and xunit runs a class's tests one at a time, so no other send is cut off.
    /// </summary>
    private static async Task DropUntilClosedAsync(SmtpSink sink)
    {
        (await sink.DropConnectionsAsync()).Should().BeGreaterThan(0);
        await Task.Delay(100); // let the FIN reach the client socket
    }
}
