using System.Text.RegularExpressions;
using Messaging.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Replies;

public sealed partial class PatientReplyTests
{
    private const string Question = "Your results are back. Is the rash any better?";

    [GeneratedRegex(@"https://ehr\.example\.nhs\.uk/m/r/([A-Za-z0-9_-]{22})")]
    private static partial Regex LinkPattern();

    private static async Task<TestWorld> WorldAsync()
    {
        var world = await CreateAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 100, "INV-1");
        return world;
    }

    private static IPatientReplyService Replies(TestWorld world) => world.Services.GetRequiredService<IPatientReplyService>();

    /// <summary>Sends a reply-enabled SMS, dispatches it, and returns the token from the link the patient received.</summary>
    private static async Task<(Message Message, string Token)> SendWithReplyAsync(TestWorld world, ConversationId? conversation = null)
    {
        var message = await world.Messages.SendAsync(Bob, new SendMessageRequest
        {
            WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = conversation is null ? Jane : null, ConversationId = conversation, Body = Question, AllowReply = true,
        });
        await world.Dispatcher.DispatchDueAsync();
        var text = world.Sms.Accepted[^1].Body;
        return (message, LinkPattern().Match(text).Groups[1].Value);
    }

    [Fact]
    public async Task The_patient_receives_the_message_with_a_reply_link_and_the_link_shows_the_message_and_sender_name_only()
    {
        await using var world = await WorldAsync();
        var (_, token) = await SendWithReplyAsync(world);

        var view = await Replies(world).OpenAsync(token);

        token.Should().HaveLength(22);
        world.Sms.Accepted[^1].Body.Should().StartWith(Question).And.Contain("https://ehr.example.nhs.uk/m/r/" + token);
        view.Should().Be(new ReplyLinkView(ReplyLinkStatus.Valid, Question, "Bob Brown"));
    }

    [Fact]
    public async Task A_reply_lands_once_and_the_same_link_is_then_already_used()
    {
        await using var world = await WorldAsync();
        var (message, token) = await SendWithReplyAsync(world);

        var first = await Replies(world).ReplyAsync(token, "Much better, thank you.");
        var second = await Replies(world).ReplyAsync(token, "And another thing");

        first.Accepted.Should().BeTrue();
        second.Status.Should().Be(ReplyLinkStatus.AlreadyUsed);
        (await Replies(world).OpenAsync(token)).Status.Should().Be(ReplyLinkStatus.AlreadyUsed);
        var messages = await world.Store.ListConversationMessagesAsync(message.ConversationId);
        messages.Where(m => m.Direction == MessageDirection.Inbound).Should().ContainSingle().Which.Body.Should().Be("Much better, thank you.");
    }

    [Fact]
    public async Task Concurrent_replies_with_one_link_record_exactly_one_message()
    {
        await using var world = await WorldAsync();
        var (message, token) = await SendWithReplyAsync(world);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => Replies(world).ReplyAsync(token, $"Reply {i}"))));

        results.Count(r => r.Accepted).Should().Be(1);
        results.Where(r => !r.Accepted).Should().OnlyContain(r => r.Status == ReplyLinkStatus.AlreadyUsed);
        (await world.Store.ListConversationMessagesAsync(message.ConversationId)).Count(m => m.Direction == MessageDirection.Inbound).Should().Be(1);
    }

    [Fact]
    public async Task A_newer_reply_enabled_message_supersedes_the_older_link()
    {
        await using var world = await WorldAsync();
        var (first, oldToken) = await SendWithReplyAsync(world);
        var (_, newToken) = await SendWithReplyAsync(world, first.ConversationId);

        (await Replies(world).OpenAsync(oldToken)).Status.Should().Be(ReplyLinkStatus.Superseded);
        (await Replies(world).ReplyAsync(oldToken, "Old link")).Status.Should().Be(ReplyLinkStatus.Superseded);
        (await Replies(world).ReplyAsync(newToken, "New link")).Accepted.Should().BeTrue();
    }

    [Fact]
    public async Task An_expired_link_is_refused()
    {
        await using var world = await WorldAsync();
        var (_, token) = await SendWithReplyAsync(world);

        world.Clock.Advance(Duration.FromDays(14) + Duration.FromMinutes(1));

        (await Replies(world).OpenAsync(token)).Status.Should().Be(ReplyLinkStatus.Expired);
        (await Replies(world).ReplyAsync(token, "Too late?")).Status.Should().Be(ReplyLinkStatus.Expired);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task An_unknown_link_is_reported_as_unknown(string token)
    {
        await using var world = await WorldAsync();
        await SendWithReplyAsync(world);

        (await Replies(world).OpenAsync(token)).Status.Should().Be(ReplyLinkStatus.Unknown);
        (await Replies(world).ReplyAsync(token, "Hello")).Status.Should().Be(ReplyLinkStatus.Unknown);
    }

    [Fact]
    public async Task A_reply_reopens_a_done_conversation_and_makes_it_unread_for_the_assignee()
    {
        await using var world = await WorldAsync();
        var (message, token) = await SendWithReplyAsync(world);
        await world.Conversations.SetStatusAsync(Bob, message.ConversationId, ConversationStatus.Done);

        await Replies(world).ReplyAsync(token, "Still itchy.");

        (await world.Store.GetConversationAsync(message.ConversationId))!.Status.Should().Be(ConversationStatus.Open);
        (await world.Inbox.GetUnreadCountsAsync(Bob, Dermatology)).AssignedToMe.Should().Be(1);
        (await world.Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Trust, Action = AuditAction.PatientReplied }))
            .Should().ContainSingle().Which.Actor.Should().Be(AuditActor.Patient(Jane));
    }

    [Fact]
    public async Task The_credits_charged_include_the_reply_link()
    {
        await using var world = await WorldAsync();
        var body = new string('a', 100); // one segment alone, two with the link

        var message = await world.Messages.SendAsync(Bob, new SendMessageRequest { WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = body, AllowReply = true });
        await world.Dispatcher.DispatchDueAsync();

        message.Segments.Should().Be(2);
        SmsSegmentCalculator.Calculate(world.Sms.Accepted[^1].Body).Segments.Should().Be(2);
    }

    [Fact]
    public async Task Tokens_are_not_stored_or_logged_in_clear_anywhere()
    {
        await using var world = await WorldAsync();
        var (message, token) = await SendWithReplyAsync(world);
        await Replies(world).ReplyAsync(token, "Fine.");

        var record = await world.Store.FindReplyTokenAsync(Messaging.Replies.ReplyTokens.Hash(token));
        var stored = string.Join('\n',
            (await world.Store.ListConversationMessagesAsync(message.ConversationId)).Select(m => $"{m.Body}|{m.HtmlBody}|{m.Subject}|{m.IdempotencyKey}|{m.ContentHash}|{m.ProviderMessageId}"));
        var audit = string.Join('\n', (await world.Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Trust })).Select(e => $"{e.TargetId}|{string.Join(',', e.Details ?? new Dictionary<string, string>())}"));

        record.Should().NotBeNull();
        record!.TokenHash.Should().NotContain(token);
        $"{record}".Should().NotContain(token);
        stored.Should().NotContain(token);
        audit.Should().NotContain(token);
        world.Logs.AllText.Should().NotContain(token);
    }
}
