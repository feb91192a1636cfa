using System.Text.RegularExpressions;
using Messaging.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Outbox;

/// <summary>R29: a newer reply link supersedes the older ones only once its message reached the provider.</summary>
public sealed partial class ReplySupersedeTests
{
    [GeneratedRegex(@"https://ehr\.example\.nhs\.uk/m/r/([A-Za-z0-9_-]{22})")]
    private static partial Regex ReplyLink();

    private static IPatientReplyService Replies(TestWorld world) => world.Services.GetRequiredService<IPatientReplyService>();

    private static async Task<(TestWorld World, Message First, string FirstToken)> FirstMessageSentAsync()
    {
        var world = await CreateAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 100, "INV-1");
        var first = await world.Messages.SendAsync(Bob, Ask(conversation: null));
        await world.Dispatcher.DispatchDueAsync();
        return (world, first, ReplyLink().Match(world.Sms.Accepted[^1].Body).Groups[1].Value);
    }

    private static SendMessageRequest Ask(ConversationId? conversation) => new()
    {
        WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = conversation is null ? Jane : null, ConversationId = conversation, Body = "How is the rash?", AllowReply = true,
    };

    [Fact]
    public async Task A_permanently_refused_reply_enabled_message_leaves_the_previous_link_working()
    {
        var (world, first, firstToken) = await FirstMessageSentAsync();
        await using var _ = world;
        world.Sms.FailPermanently("21610");

        var second = await world.Messages.SendAsync(Bob, Ask(first.ConversationId));
        await world.Dispatcher.DispatchDueAsync();

        (await world.Store.GetMessageAsync(second.Id))!.Status.Should().Be(DeliveryStatus.Failed);
        (await Replies(world).OpenAsync(firstToken)).Status.Should().Be(ReplyLinkStatus.Valid, "the newer message never reached the patient");
        (await Replies(world).ReplyAsync(firstToken, "Better, thanks.")).Accepted.Should().BeTrue();
    }

    [Fact]
    public async Task A_permanently_refused_reply_enabled_message_takes_its_own_pending_link_with_it()
    {
        var (world, first, _) = await FirstMessageSentAsync();
        await using var _ = world;
        world.Sms.FailPermanently("21610");

        var second = await world.Messages.SendAsync(Bob, Ask(first.ConversationId));
        await world.Dispatcher.DispatchDueAsync();
        var failed = (await world.Store.GetMessageAsync(second.Id))!;
        var tokens = world.Services.GetRequiredService<Messaging.Replies.ReplyTokens>();
        var dead = tokens.Issue(failed).Token;

        failed.Status.Should().Be(DeliveryStatus.Failed);
        (await world.Store.FindReplyTokenAsync(tokens.HashFor(failed)))!.State.Should().Be(ReplyTokenState.Revoked);
        (await Replies(world).OpenAsync(dead)).Status.Should().Be(ReplyLinkStatus.Expired, "the message it belongs to failed for good");
        (await Replies(world).ReplyAsync(dead, "Hello?")).Accepted.Should().BeFalse();
    }

    [Fact]
    public async Task A_reply_enabled_message_out_of_attempts_takes_its_own_pending_link_with_it()
    {
        var (world, first, _) = await FirstMessageSentAsync();
        await using var _ = world;
        world.Sms.FailTransiently(times: 50);
        var second = await world.Messages.SendAsync(Bob, Ask(first.ConversationId));

        for (var round = 0; round < 20 && (await world.Store.GetMessageAsync(second.Id))!.Status != DeliveryStatus.Failed; round++)
        {
            await world.Dispatcher.DispatchDueAsync();
            world.Clock.Advance(Duration.FromHours(2));
        }

        var failed = (await world.Store.GetMessageAsync(second.Id))!;
        failed.Status.Should().Be(DeliveryStatus.Failed);
        (await world.Store.FindReplyTokenAsync(world.Services.GetRequiredService<Messaging.Replies.ReplyTokens>().HashFor(failed)))!.State.Should().Be(ReplyTokenState.Revoked);
        (await world.Store.FindReplyTokenAsync(world.Services.GetRequiredService<Messaging.Replies.ReplyTokens>().HashFor(first)))!.State.Should().Be(ReplyTokenState.Active, "the older link is untouched");
    }

    [Fact]
    public async Task While_a_newer_message_is_retried_the_previous_link_works_and_once_it_is_sent_the_previous_one_is_superseded()
    {
        var (world, first, firstToken) = await FirstMessageSentAsync();
        await using var _ = world;
        world.Sms.FailTransiently();

        var second = await world.Messages.SendAsync(Bob, Ask(first.ConversationId));
        await world.Dispatcher.DispatchDueAsync();
        var whileRetrying = await Replies(world).OpenAsync(firstToken);
        world.Clock.Advance(Duration.FromMinutes(10));
        await world.Dispatcher.DispatchDueAsync();
        var secondToken = ReplyLink().Match(world.Sms.Accepted[^1].Body).Groups[1].Value;

        whileRetrying.Status.Should().Be(ReplyLinkStatus.Valid);
        (await world.Store.GetMessageAsync(second.Id))!.Status.Should().Be(DeliveryStatus.Sent);
        (await Replies(world).OpenAsync(firstToken)).Status.Should().Be(ReplyLinkStatus.Superseded, "the kind page says a newer message exists");
        (await Replies(world).ReplyAsync(firstToken, "Too late")).Status.Should().Be(ReplyLinkStatus.Superseded);
        (await Replies(world).OpenAsync(secondToken)).Status.Should().Be(ReplyLinkStatus.Valid);
    }

    [Fact]
    public async Task A_patient_who_already_holds_the_link_of_a_message_still_being_retried_can_use_it_once()
    {
        // An uncertain result (a timeout) may hide an SMS that did go out: its link works for the patient, and a reply
        // through it counts as the conversation's one reply, superseding the older link.
        var (world, first, firstToken) = await FirstMessageSentAsync();
        await using var _ = world;
        world.Sms.FailTransiently();
        var second = await world.Messages.SendAsync(Bob, Ask(first.ConversationId));
        await world.Dispatcher.DispatchDueAsync();
        var issued = world.Services.GetRequiredService<Messaging.Replies.ReplyTokens>().Issue((await world.Store.GetMessageAsync(second.Id))!).Token;

        var reply = await Replies(world).ReplyAsync(issued, "I got the second one.");
        world.Clock.Advance(Duration.FromMinutes(10));
        await world.Dispatcher.DispatchDueAsync();

        reply.Accepted.Should().BeTrue();
        (await Replies(world).OpenAsync(firstToken)).Status.Should().Be(ReplyLinkStatus.Superseded);
        (await Replies(world).OpenAsync(issued)).Status.Should().Be(ReplyLinkStatus.AlreadyUsed, "the retry that then succeeds does not revive a used link");
        (await world.Store.GetMessageAsync(second.Id))!.Status.Should().Be(DeliveryStatus.Sent);
    }
}
