using System.Net;
using Messaging.AspNetCore.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Messaging.AspNetCore.Tests;

/// <summary>
/// R21: the anonymous endpoints are rate-limited per link and per client, and a body larger than an endpoint can accept
/// is refused (413) before it is read into a form, with nothing recorded. The limits need no middleware from the host.
/// </summary>
public sealed class EndpointLimitsTests
{
    [Fact]
    public async Task One_link_gets_a_kind_429_page_once_over_its_limit_and_other_links_still_work()
    {
        await using var world = await WebWorld.StartAsync(b => b.Services.Configure<MessagingWebOptions>(o => o.LinkRequestsPerMinute = 3));
        var (_, hammered) = await world.SendReplyLinkAsync();
        var (_, other) = await world.SendReplyLinkAsync("A second message.");

        var within = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            within.Add((await world.GetPageAsync(hammered)).Status);
        }

        var over = await world.GetPageAsync(hammered);
        var elsewhere = await world.GetPageAsync(other);

        within.Should().AllBeEquivalentTo(HttpStatusCode.OK);
        over.Status.Should().Be(HttpStatusCode.TooManyRequests);
        over.Heading.Should().Be("Please wait a moment");
        over.Headers.Should().ContainKey("Retry-After");
        over.Headers["Cache-Control"].Should().Contain("no-store", "a 429 page is a patient page like any other");
        elsewhere.Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task One_client_is_limited_across_links()
    {
        await using var world = await WebWorld.StartAsync(b => b.Services.Configure<MessagingWebOptions>(o => o.ClientRequestsPerMinute = 4));
        var (_, first) = await world.SendReplyLinkAsync();
        var (_, second) = await world.SendReplyLinkAsync("A second message.");

        var statuses = new List<HttpStatusCode>();
        foreach (var link in new[] { first, second, first, second, first })
        {
            statuses.Add((await world.GetPageAsync(link)).Status);
        }

        statuses.Should().Equal(HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Webhooks_are_limited_per_client_with_Retry_After_and_the_refused_one_changes_nothing()
    {
        await using var world = await WebWorld.StartAsync(b => b.Services.Configure<MessagingWebOptions>(o => o.WebhookRequestsPerMinute = 2));
        var (message, _) = await world.SendSmsAsync("Your appointment is on Monday.", allowReply: false);
        List<KeyValuePair<string, string>> Report(string status) =>
        [
            new("AccountSid", "AC0123456789abcdef0123456789abcdef"),
            new("MessageSid", message.ProviderMessageId!),
            new("MessageStatus", status),
        ];

        using var first = await world.PostTwilioAsync("sms/twilio/status", Report("sent"));
        using var second = await world.PostTwilioAsync("sms/twilio/status", Report("sent"));
        using var third = await world.PostTwilioAsync("sms/twilio/status", Report("delivered"));

        first.StatusCode.Should().Be(HttpStatusCode.NoContent);
        second.StatusCode.Should().Be(HttpStatusCode.NoContent);
        third.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        third.Headers.RetryAfter.Should().NotBeNull();
        (await world.MessageAsync(message.Id)).Status.Should().Be(DeliveryStatus.Sent, "the refused report was not applied; the provider retries it");
    }

    [Fact]
    public async Task An_oversized_code_form_is_refused_with_413_and_counts_no_attempt()
    {
        await using var world = await WebWorld.StartAsync();
        var (message, link, _) = await world.SendDirectMessageAsync();
        var padding = new string('x', 100 * 1024);

        var page = await world.PostFormAsync(link, [new("code", "WRONG1"), new("padding", padding)]);

        page.Status.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        page.Heading.Should().Be("This was too large to send");
        var view = await world.Services.GetRequiredService<IDirectMessageService>().GetAsync(WebWorld.Alice, message.Id);
        view.FailedAttempts.Should().Be(0);
    }

    [Fact]
    public async Task A_reply_over_the_attachment_limit_and_its_form_is_refused_with_413_and_records_nothing()
    {
        await using var world = await WebWorld.StartAsync(b => b.Services.Configure<AttachmentOptions>(o => o.MaxBytes = 1024));
        var (message, link) = await world.SendReplyLinkAsync();
        var limit = world.Services.GetRequiredService<IOptions<AttachmentOptions>>().Value.MaxBytes + 64 * 1024;

        var page = await world.ReplyWithFileAsync(link, "Here is the photo.", "photo.png", "image/png", [.. WebWorld.Png, .. new byte[limit]]);

        page.Status.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await world.ConversationAsync(message.ConversationId)).Should().ContainSingle("no reply was recorded");
        (await world.GetPageAsync(link)).Heading.Should().Be("Reply to your care team", "the link is unspent");
    }

    [Fact]
    public async Task Posts_to_a_locked_Direct_Message_add_nothing_to_its_audit_trail()
    {
        await using var world = await WebWorld.StartAsync();
        var (message, link, code) = await world.SendDirectMessageAsync();
        var form = await world.GetPageAsync(link);
        for (var i = 0; i < 5; i++)
        {
            await world.PostCodeAsync(link, form, "WRONG123");
        }

        var store = world.Services.GetRequiredService<Messaging.Storage.IMessagingStore>();
        var query = new AuditQuery { OrganisationId = WebWorld.Trust, TargetId = message.Id.ToString() };
        var before = (await store.ListAuditEventsAsync(query)).Count;
        var pages = new List<Page>();
        for (var i = 0; i < 3; i++)
        {
            pages.Add(await world.PostCodeAsync(link, form, i == 0 ? code : "WRONG123"));
        }

        pages.Should().OnlyContain(p => p.Heading == "This message is locked");
        (await store.ListAuditEventsAsync(query)).Count.Should().Be(before, "a scripted stream of posts to a locked message must not grow its audit trail without bound");
    }

    [Theory]
    [InlineData(nameof(MessagingWebOptions.LinkRequestsPerMinute))]
    [InlineData(nameof(MessagingWebOptions.ClientRequestsPerMinute))]
    [InlineData(nameof(MessagingWebOptions.WebhookRequestsPerMinute))]
    public async Task A_negative_limit_is_refused_at_start_naming_the_setting(string setting)
    {
        var start = () => WebWorld.StartAsync(b => b.Services.Configure<MessagingWebOptions>(o => typeof(MessagingWebOptions).GetProperty(setting)!.SetValue(o, -1)));

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain($"Messaging:Web:{setting}");
    }
}
