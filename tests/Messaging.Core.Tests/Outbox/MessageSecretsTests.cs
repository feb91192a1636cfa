using Messaging.DirectMessages;
using Messaging.Replies;
using Messaging.Sending;
using Microsoft.Extensions.Options;

namespace Messaging.Tests.Outbox;

/// <summary>The derived secrets (R29) keep the shape and strength of random ones, and depend on the key and every id.</summary>
public sealed class MessageSecretsTests
{
    private static MessageSecrets Secrets(byte fill) => new(Options.Create(new PatientMessagingOptions { LinkKey = Convert.ToBase64String(Enumerable.Repeat(fill, 32).ToArray()) }));

    [Fact]
    public void A_token_is_stable_for_its_message_shaped_like_a_random_one_and_differs_by_message_purpose_and_key()
    {
        var message = MessageId.New();
        var attachment = AttachmentId.New();
        var dm = DirectMessageId.New();
        var secrets = Secrets(1);

        var reply = secrets.ReplyToken(message);
        string[] all = [reply, secrets.ReplyToken(MessageId.New()), secrets.AttachmentToken(message, attachment), secrets.AttachmentToken(message, AttachmentId.New()),
            secrets.DirectMessageLinkToken(dm, message), Secrets(2).ReplyToken(message)];

        secrets.ReplyToken(message).Should().Be(reply);
        all.Should().OnlyHaveUniqueItems().And.OnlyContain(t => ReplyTokens.HasTokenShape(t));
    }

    [Fact]
    public void A_code_is_stable_for_its_leg_of_the_configured_length_over_the_code_alphabet_and_new_for_a_resent_leg()
    {
        var dm = DirectMessageId.New();
        var sms = MessageId.New();
        var secrets = Secrets(3);

        var code = secrets.DirectMessageCode(dm, sms, 12);
        var resent = Enumerable.Range(0, 50).Select(_ => secrets.DirectMessageCode(dm, MessageId.New(), AccessCodeGenerator.MinLength)).ToList();

        secrets.DirectMessageCode(dm, sms, 12).Should().Be(code);
        code.Should().HaveLength(12).And.Match(c => c.All(AccessCodeGenerator.Alphabet.Contains));
        resent.Should().OnlyHaveUniqueItems().And.OnlyContain(c => c.Length == AccessCodeGenerator.MinLength && c.All(AccessCodeGenerator.Alphabet.Contains));
        string.Concat(resent).Distinct().Should().HaveCount(AccessCodeGenerator.Alphabet.Length, "every symbol of the alphabet is drawn");
    }

    [Fact]
    public void Without_a_valid_key_it_names_the_setting_and_never_the_value()
    {
        var secrets = new MessageSecrets(Options.Create(new PatientMessagingOptions { LinkKey = "c2hvcnQ=" }));

        var act = () => secrets.ReplyToken(MessageId.New());

        act.Should().Throw<InvalidOperationException>().WithMessage("*Messaging:LinkKey*").Which.Message.Should().NotContain("c2hvcnQ=");
    }
}
