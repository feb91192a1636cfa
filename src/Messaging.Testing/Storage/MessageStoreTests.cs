using NodaTime;
using Xunit;

namespace Messaging.Testing.Storage;

/// <summary>Messages, their lookups, and opt-outs (R10, R13, R14, R24).</summary>
public abstract class MessageStoreTests : StoreConformanceTests
{
    /// <summary>A message reads back whole, every field, including the ones that are usually empty.</summary>
    [StoreFact]
    public async Task A_message_reads_back_with_every_field()
    {
        await SeedAsync();
        var conversation = NewConversation();
        var email = NewMessage(conversation) with
        {
            Channel = MessageChannel.Email,
            Recipient = "jane.doe@example.com",
            Subject = "Your results",
            HtmlBody = "<p>Your results are ready.</p>",
            AllowReply = true,
            Segments = 0,
            Credits = 0,
            IdempotencyKey = "host-key-1",
            ProviderName = "smtp",
            ProviderMessageId = "abc@relay",
            ProviderStatus = "250",
            ErrorCode = "none",
            Status = DeliveryStatus.Delivered,
            UpdatedAt = T0 + Duration.FromSeconds(30),
            Attachments = [AttachmentId.New(), AttachmentId.New()],
            DirectMessageId = DirectMessageId.New(),
        };
        var inbound = NewMessage(conversation) with { Direction = MessageDirection.Inbound, SentBy = null, Body = "Thank you — see you then 😊", InReplyTo = email.Id };
        await WriteAsync(work =>
        {
            work.AddConversation(conversation);
            work.AddMessage(email);
            work.AddMessage(inbound);
        });

        var stored = await Store.GetMessageAsync(email.Id);
        Assert.Equal(email.Attachments, stored!.Attachments);
        Assert.Equal(email with { Attachments = stored.Attachments }, stored);
        Assert.Equal(inbound, await Store.GetMessageAsync(inbound.Id));
        Assert.Null(await Store.GetMessageAsync(MessageId.New()));
    }

    /// <summary>An idempotency key finds its message within the organisation; it is unique there, and free in another one.</summary>
    [StoreFact]
    public async Task An_idempotency_key_finds_its_message_and_is_unique_per_organisation()
    {
        await SeedAsync();
        var conversation = NewConversation();
        var message = NewMessage(conversation, idempotencyKey: "order-42");
        await WriteAsync(work =>
        {
            work.AddConversation(conversation);
            work.AddMessage(message);
            work.AddMessage(NewMessage(conversation));
            work.AddMessage(NewMessage(conversation));
        });

        Assert.Equal(message.Id, (await Store.FindMessageByIdempotencyKeyAsync(Org, "order-42"))!.Id);
        Assert.Null(await Store.FindMessageByIdempotencyKeyAsync(OtherOrg, "order-42"));
        Assert.Null(await Store.FindMessageByIdempotencyKeyAsync(Org, "order-43"));
        await CommitFailsAsync<MessagingConflictException>(work => work.AddMessage(NewMessage(conversation, idempotencyKey: "order-42")), MessagingErrorCodes.AlreadyExists);
        await CommitFailsAsync<MessagingConflictException>(work => work.AddMessage(message), MessagingErrorCodes.AlreadyExists);
        await WriteAsync(work => work.AddMessage(NewMessage(conversation, idempotencyKey: "order-42", organisationId: OtherOrg)));
    }

    /// <summary>A provider's id finds the message once an update recorded it.</summary>
    [StoreFact]
    public async Task A_provider_id_finds_the_message_after_it_was_recorded()
    {
        var (conversation, message) = await SeedConversationWithMessageAsync();
        Assert.Null(await Store.FindMessageByProviderIdAsync("twilio", "SM123"));

        var sent = message with { Status = DeliveryStatus.Sent, ProviderName = "twilio", ProviderMessageId = "SM123", Version = 2 };
        await WriteAsync(work => work.UpdateMessage(sent, 1));

        Assert.Equal(sent, await Store.FindMessageByProviderIdAsync("twilio", "SM123"));
        Assert.Null(await Store.FindMessageByProviderIdAsync("other", "SM123"));
    }

    /// <summary>A conversation's messages list oldest first, and only that conversation's.</summary>
    [StoreFact]
    public async Task A_conversations_messages_list_oldest_first()
    {
        await SeedAsync();
        var conversation = NewConversation();
        var other = NewConversation();
        var messages = Enumerable.Range(0, 5).Select(i => NewMessage(conversation, T0 + Duration.FromSeconds(10 * (5 - i)))).ToList();
        await WriteAsync(work =>
        {
            work.AddConversation(conversation);
            work.AddConversation(other);
            messages.ForEach(work.AddMessage);
            work.AddMessage(NewMessage(other));
        });

        Assert.Equal(messages.OrderBy(m => m.CreatedAt).Select(m => m.Id), (await Store.ListConversationMessagesAsync(conversation.Id)).Select(m => m.Id));
        Assert.Empty(await Store.ListConversationMessagesAsync(ConversationId.New()));
    }

    /// <summary>A number's opt-out state is per organisation and replaced when set again.</summary>
    [StoreFact]
    public async Task Opt_outs_are_per_organisation_and_replaced_when_set_again()
    {
        var number = PhoneNumber.FromE164("+447700900123");
        var stop = new OptOutState(Org, number, true, T0, "keyword:STOP");
        await WriteAsync(work => work.SetOptOut(stop));
        Assert.Equal(stop, await Store.GetOptOutAsync(Org, number));
        Assert.Null(await Store.GetOptOutAsync(OtherOrg, number));

        var start = new OptOutState(Org, number, false, T0 + Duration.FromDays(1), "keyword:START");
        await WriteAsync(work => work.SetOptOut(start));
        Assert.Equal(start, await Store.GetOptOutAsync(Org, number));
    }
}

/// <summary>Reply tokens (R12): lookup by hash, a newer token supersedes active ones, spending happens once.</summary>
public abstract class ReplyTokenStoreTests : StoreConformanceTests
{
    /// <summary>A token reads back by its hash; an unknown hash reads as null; hashes are unique.</summary>
    [StoreFact]
    public async Task A_token_reads_back_by_hash_and_hashes_are_unique()
    {
        var (conversation, message) = await SeedConversationWithMessageAsync();
        var token = Token(conversation, message.Id);
        await WriteAsync(work => work.IssueReplyToken(token));

        Assert.Equal(token, await Store.FindReplyTokenAsync(token.TokenHash));
        Assert.Null(await Store.FindReplyTokenAsync(new string('0', 64)));
        await CommitFailsAsync<MessagingConflictException>(work => work.IssueReplyToken(token with { ConversationId = NewConversation().Id }), MessagingErrorCodes.AlreadyExists);
    }

    /// <summary>
    /// Issuing a token again for the same message (a retry re-issues the same derived token, R29) neither fails nor adds a
    /// row nor touches the stored one, even when it is used, and does not supersede the conversation's newer token.
    /// </summary>
    [StoreFact]
    public async Task Issuing_the_same_token_again_for_its_message_changes_nothing()
    {
        var (conversation, message) = await SeedConversationWithMessageAsync();
        var token = Token(conversation, message.Id);
        await WriteAsync(work => work.IssueReplyToken(token));

        await WriteAsync(work => work.IssueReplyToken(token with { IssuedAt = T0 + Duration.FromMinutes(5), ExpiresAt = T0 + Duration.FromDays(8) }));
        Assert.Equal(token, await Store.FindReplyTokenAsync(token.TokenHash));

        var at = T0 + Duration.FromHours(1);
        await WriteAsync(work => work.SpendReplyToken(token.TokenHash, at));
        await WriteAsync(work => work.IssueReplyToken(token));
        Assert.Equal(token with { State = ReplyTokenState.Used, UsedAt = at }, await Store.FindReplyTokenAsync(token.TokenHash));

        var newer = Token(conversation, message.Id);
        await WriteAsync(work => work.IssueReplyToken(newer));
        await WriteAsync(work => work.IssueReplyToken(token));
        Assert.Equal(ReplyTokenState.Active, (await Store.FindReplyTokenAsync(newer.TokenHash))!.State);
    }

    /// <summary>
    /// A pending token (issued before its message reached the provider) supersedes nothing; activating it supersedes the
    /// conversation's older active token and makes it the active one (R29); activating again, or an unknown hash, changes nothing.
    /// </summary>
    [StoreFact]
    public async Task A_pending_token_supersedes_nothing_until_it_is_activated()
    {
        var (conversation, message) = await SeedConversationWithMessageAsync();
        var working = Token(conversation, message.Id);
        var pending = Token(conversation, message.Id) with { IssuedAt = T0 + Duration.FromMinutes(1), State = ReplyTokenState.Pending };
        await WriteAsync(work => work.IssueReplyToken(working));

        await WriteAsync(work => work.IssueReplyToken(pending));
        Assert.Equal(ReplyTokenState.Active, (await Store.FindReplyTokenAsync(working.TokenHash))!.State);
        Assert.Equal(pending, await Store.FindReplyTokenAsync(pending.TokenHash));

        await WriteAsync(work => work.ActivateReplyToken(pending.TokenHash));
        Assert.Equal(ReplyTokenState.Superseded, (await Store.FindReplyTokenAsync(working.TokenHash))!.State);
        Assert.Equal(pending with { State = ReplyTokenState.Active }, await Store.FindReplyTokenAsync(pending.TokenHash));

        await WriteAsync(work =>
        {
            work.ActivateReplyToken(pending.TokenHash);
            work.ActivateReplyToken(new string('0', 64));
        });
        Assert.Equal(ReplyTokenState.Active, (await Store.FindReplyTokenAsync(pending.TokenHash))!.State);
        Assert.Equal(ReplyTokenState.Superseded, (await Store.FindReplyTokenAsync(working.TokenHash))!.State);
    }

    /// <summary>
    /// Revoking a pending token (its message failed for good) makes it revoked and unspendable, and touches nothing else:
    /// the conversation's active token stays active; an active, used or unknown token is left as it is (R29).
    /// </summary>
    [StoreFact]
    public async Task Revoking_a_pending_token_kills_it_and_leaves_the_working_link()
    {
        var (conversation, message) = await SeedConversationWithMessageAsync();
        var working = Token(conversation, message.Id);
        var pending = Token(conversation, message.Id) with { IssuedAt = T0 + Duration.FromMinutes(1), State = ReplyTokenState.Pending };
        await WriteAsync(work =>
        {
            work.IssueReplyToken(working);
            work.IssueReplyToken(pending);
        });

        await WriteAsync(work =>
        {
            work.RevokeReplyToken(pending.TokenHash);
            work.RevokeReplyToken(working.TokenHash);
            work.RevokeReplyToken(new string('0', 64));
        });

        Assert.Equal(pending with { State = ReplyTokenState.Revoked }, await Store.FindReplyTokenAsync(pending.TokenHash));
        Assert.Equal(working, await Store.FindReplyTokenAsync(working.TokenHash));
        await CommitFailsAsync<MessagingConflictException>(work => work.SpendReplyToken(pending.TokenHash, T0 + Duration.FromMinutes(2)), MessagingErrorCodes.ReplyTokenSpent);
        await WriteAsync(work => work.ActivateReplyToken(pending.TokenHash));
        Assert.Equal(ReplyTokenState.Revoked, (await Store.FindReplyTokenAsync(pending.TokenHash))!.State);
        Assert.Equal(ReplyTokenState.Active, (await Store.FindReplyTokenAsync(working.TokenHash))!.State);
    }

    /// <summary>Activating a token issued before the conversation's active one supersedes it instead: the newest link wins (R29).</summary>
    [StoreFact]
    public async Task Activating_an_older_token_than_the_active_one_supersedes_the_older()
    {
        var (conversation, message) = await SeedConversationWithMessageAsync();
        var older = Token(conversation, message.Id) with { IssuedAt = T0, State = ReplyTokenState.Pending };
        var newer = Token(conversation, message.Id) with { IssuedAt = T0 + Duration.FromMinutes(1), State = ReplyTokenState.Pending };
        await WriteAsync(work =>
        {
            work.IssueReplyToken(older);
            work.IssueReplyToken(newer);
        });

        await WriteAsync(work => work.ActivateReplyToken(newer.TokenHash));
        await WriteAsync(work => work.ActivateReplyToken(older.TokenHash));

        Assert.Equal(ReplyTokenState.Active, (await Store.FindReplyTokenAsync(newer.TokenHash))!.State);
        Assert.Equal(ReplyTokenState.Superseded, (await Store.FindReplyTokenAsync(older.TokenHash))!.State);
    }

    /// <summary>
    /// A pending token can be spent (the patient holds it, so its message arrived): that supersedes the conversation's older
    /// active token, and a later activation leaves the used token used.
    /// </summary>
    [StoreFact]
    public async Task A_pending_token_can_be_spent_and_then_supersedes_the_older_active_one()
    {
        var (conversation, message) = await SeedConversationWithMessageAsync();
        var working = Token(conversation, message.Id);
        var pending = Token(conversation, message.Id) with { IssuedAt = T0 + Duration.FromMinutes(1), State = ReplyTokenState.Pending };
        await WriteAsync(work =>
        {
            work.IssueReplyToken(working);
            work.IssueReplyToken(pending);
        });
        var at = T0 + Duration.FromMinutes(2);

        await WriteAsync(work => work.SpendReplyToken(pending.TokenHash, at));
        await WriteAsync(work => work.ActivateReplyToken(pending.TokenHash));

        Assert.Equal(pending with { State = ReplyTokenState.Used, UsedAt = at }, await Store.FindReplyTokenAsync(pending.TokenHash));
        Assert.Equal(ReplyTokenState.Superseded, (await Store.FindReplyTokenAsync(working.TokenHash))!.State);
        await CommitFailsAsync<MessagingConflictException>(work => work.SpendReplyToken(working.TokenHash, at), MessagingErrorCodes.ReplyTokenSpent);
    }

    /// <summary>Issuing a token supersedes the conversation's active tokens, but not used ones nor other conversations'.</summary>
    [StoreFact]
    public async Task Issuing_a_token_supersedes_the_conversations_active_tokens_only()
    {
        var (conversation, message) = await SeedConversationWithMessageAsync();
        var other = NewConversation();
        var used = Token(conversation, message.Id);
        var active = Token(conversation, message.Id);
        var elsewhere = Token(other, message.Id);
        await WriteAsync(work =>
        {
            work.AddConversation(other);
            work.IssueReplyToken(used);
        });
        await WriteAsync(work => work.SpendReplyToken(used.TokenHash, T0 + Duration.FromMinutes(1)));
        await WriteAsync(work =>
        {
            work.IssueReplyToken(active);
            work.IssueReplyToken(elsewhere);
        });

        var newest = Token(conversation, message.Id);
        await WriteAsync(work => work.IssueReplyToken(newest));

        Assert.Equal(ReplyTokenState.Used, (await Store.FindReplyTokenAsync(used.TokenHash))!.State);
        Assert.Equal(ReplyTokenState.Superseded, (await Store.FindReplyTokenAsync(active.TokenHash))!.State);
        Assert.Equal(ReplyTokenState.Active, (await Store.FindReplyTokenAsync(newest.TokenHash))!.State);
        Assert.Equal(ReplyTokenState.Active, (await Store.FindReplyTokenAsync(elsewhere.TokenHash))!.State);
    }

    /// <summary>Spending marks the token used with the time; spending it again, or spending a superseded or unknown one, is refused.</summary>
    [StoreFact]
    public async Task A_token_is_spent_once_and_superseded_or_unknown_tokens_cannot_be_spent()
    {
        var (conversation, message) = await SeedConversationWithMessageAsync();
        var old = Token(conversation, message.Id);
        var current = Token(conversation, message.Id);
        await WriteAsync(work => work.IssueReplyToken(old));
        await WriteAsync(work => work.IssueReplyToken(current));
        var at = T0 + Duration.FromHours(2);

        await WriteAsync(work => work.SpendReplyToken(current.TokenHash, at));

        Assert.Equal(current with { State = ReplyTokenState.Used, UsedAt = at }, await Store.FindReplyTokenAsync(current.TokenHash));
        await CommitFailsAsync<MessagingConflictException>(work => work.SpendReplyToken(current.TokenHash, at), MessagingErrorCodes.ReplyTokenSpent);
        await CommitFailsAsync<MessagingConflictException>(work => work.SpendReplyToken(old.TokenHash, at), MessagingErrorCodes.ReplyTokenSpent);
        await CommitFailsAsync<MessagingConflictException>(work => work.SpendReplyToken("unknown", at), MessagingErrorCodes.ReplyTokenSpent);
    }

    /// <summary>
    /// Of several messages of one conversation activated at once (R29), exactly one token is active afterwards — the newest —
    /// and no activation fails: a patient can never reply twice, and a message already sent never fails to be recorded.
    /// </summary>
    [StoreFact]
    public async Task Concurrent_activations_of_one_conversation_leave_exactly_the_newest_active()
    {
        var (conversation, message) = await SeedConversationWithMessageAsync();
        var working = Token(conversation, message.Id);
        var pending = Enumerable.Range(1, 6)
            .Select(i => Token(conversation, message.Id) with { IssuedAt = T0 + Duration.FromMinutes(i), State = ReplyTokenState.Pending }).ToArray();
        await WriteAsync(work =>
        {
            work.IssueReplyToken(working);
            foreach (var token in pending)
            {
                work.IssueReplyToken(token);
            }
        });

        var errors = await RaceAsync(pending.Length, i => WriteAsync(work => work.ActivateReplyToken(pending[i].TokenHash)));

        Assert.All(errors, e => Assert.Null(e));
        Assert.Equal(ReplyTokenState.Active, (await Store.FindReplyTokenAsync(pending[^1].TokenHash))!.State);
        foreach (var token in pending[..^1].Append(working))
        {
            Assert.Equal(ReplyTokenState.Superseded, (await Store.FindReplyTokenAsync(token.TokenHash))!.State);
        }
    }

    /// <summary>Of many concurrent spends of one token, exactly one succeeds (a patient replies once).</summary>
    [StoreFact]
    public async Task Concurrent_spends_of_one_token_let_exactly_one_through()
    {
        var (conversation, message) = await SeedConversationWithMessageAsync();
        var token = Token(conversation, message.Id);
        await WriteAsync(work => work.IssueReplyToken(token));

        var errors = await RaceAsync(8, i => WriteAsync(work => work.SpendReplyToken(token.TokenHash, T0 + Duration.FromSeconds(i))));

        Assert.Single(errors, e => e is null);
        Assert.All(errors.OfType<MessagingException>(), e => Assert.Equal(MessagingErrorCodes.ReplyTokenSpent, e.ErrorCode));
    }
}
