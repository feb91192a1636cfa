using MimeKit;
using NodaTime;

namespace Messaging.Providers.Smtp.Tests;

public sealed class SmtpMessagesTests
{
    private static readonly MailboxAddress From = new("Riverside Clinic", "clinic@riverside.nhs.test");
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 23, 9, 30, 15);

    [Fact]
    public void Same_idempotency_key_always_gives_the_same_message_id()
    {
        var first = SmtpMessages.MessageIdFor("outbox:42:attempt-independent", "riverside.nhs.test");
        var again = SmtpMessages.MessageIdFor("outbox:42:attempt-independent", "riverside.nhs.test");

        again.Should().Be(first);
    }

    [Fact]
    public void Different_idempotency_keys_give_different_message_ids()
    {
        SmtpMessages.MessageIdFor("outbox:42", "riverside.nhs.test")
            .Should().NotBe(SmtpMessages.MessageIdFor("outbox:43", "riverside.nhs.test"));
    }

    [Fact]
    public void Message_id_is_a_base32_hash_of_the_key_at_the_sender_domain_and_does_not_reveal_the_key()
    {
        var id = SmtpMessages.MessageIdFor("patient-1234567890-reminder", "riverside.nhs.test");

        id.Should().MatchRegex("^[a-z2-7]{32}@riverside\\.nhs\\.test$");
        id.Should().NotContain("1234567890");
    }

    [Fact]
    public void Message_id_matches_a_known_value_so_it_stays_stable_across_releases()
    {
        // Computed independently: base64.b32encode(hashlib.sha256(b"abc").digest()).decode().lower()[:32] in Python.
        SmtpMessages.MessageIdFor("abc", "x.test").Should().Be("xj4bnp4pahh6uqkbidpf3lrceoyagynd@x.test");
    }

    [Fact]
    public void Html_and_text_bodies_go_out_as_multipart_alternative_with_text_first()
    {
        var request = new EmailSendRequest(EmailAddress.Parse("pat@example.test"), "Results", "Plain words", "k1") { HtmlBody = "<p>Rich words</p>" };

        using var message = SmtpMessages.Build(request, From, "abc@riverside.nhs.test", Now);

        var alternative = message.Body.Should().BeOfType<MultipartAlternative>().Subject;
        alternative.Should().HaveCount(2);
        ((TextPart)alternative[0]).IsPlain.Should().BeTrue();
        ((TextPart)alternative[0]).Text.Should().Be("Plain words");
        ((TextPart)alternative[1]).IsHtml.Should().BeTrue();
        ((TextPart)alternative[1]).Text.Should().Be("<p>Rich words</p>");
    }

    [Fact]
    public void Text_only_request_is_a_single_plain_part()
    {
        var request = new EmailSendRequest(EmailAddress.Parse("pat@example.test"), "Results", "Plain words", "k1");

        using var message = SmtpMessages.Build(request, From, "abc@riverside.nhs.test", Now);

        var part = message.Body.Should().BeOfType<TextPart>().Subject;
        part.IsPlain.Should().BeTrue();
        part.Text.Should().Be("Plain words");
    }

    [Fact]
    public void Headers_carry_sender_recipient_with_name_subject_message_id_and_the_clock_time()
    {
        var request = new EmailSendRequest(EmailAddress.Parse("pat@example.test"), "Résultats – prêts", "x", "k1") { ToName = "Ann Patient" };

        using var message = SmtpMessages.Build(request, From, "abc@riverside.nhs.test", Now);

        message.From.Mailboxes.Should().ContainSingle().Which.Should().Match<MailboxAddress>(m => m.Address == "clinic@riverside.nhs.test" && m.Name == "Riverside Clinic");
        message.To.Mailboxes.Should().ContainSingle().Which.Should().Match<MailboxAddress>(m => m.Address == "pat@example.test" && m.Name == "Ann Patient");
        message.Subject.Should().Be("Résultats – prêts");
        message.MessageId.Should().Be("abc@riverside.nhs.test");
        message.Headers[HeaderId.MessageId].Should().Be("<abc@riverside.nhs.test>");
        message.Date.Should().Be(new DateTimeOffset(2026, 11, 23, 9, 30, 15, TimeSpan.Zero));
    }

    [Fact]
    public void A_subject_with_line_breaks_cannot_inject_headers()
    {
        var request = new EmailSendRequest(EmailAddress.Parse("pat@example.test"), "Hello\r\nBcc: attacker@evil.test", "x", "k1");

        using var message = SmtpMessages.Build(request, From, "abc@riverside.nhs.test", Now);
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        var raw = System.Text.Encoding.ASCII.GetString(stream.ToArray());

        raw.Should().NotContain("\r\nBcc:");
        message.Bcc.Count.Should().Be(0);
    }
}
