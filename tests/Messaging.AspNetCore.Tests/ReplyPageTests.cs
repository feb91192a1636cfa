using System.Net;
using Messaging.AspNetCore.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Messaging.AspNetCore.Tests;

public sealed class ReplyPageTests
{
    [Fact]
    public async Task A_valid_link_shows_the_staff_message_and_a_labelled_reply_form_that_is_never_cached()
    {
        await using var world = await WebWorld.StartAsync();
        var (_, link) = await world.SendReplyLinkAsync("Your results are normal.\nAny questions?");

        var page = await world.GetPageAsync(link);

        page.Status.Should().Be(HttpStatusCode.OK);
        page.Heading.Should().Be("Reply to your care team");
        page.Html.Should().Contain("Message from Dr Alice Adams");
        WebUtility.HtmlDecode(page.Html).Should().Contain("<div class=\"message-text\">Your results are normal.\nAny questions?</div>");
        page.Html.Should().Contain("<label for=\"reply\">Your reply</label>")
            .And.Contain("<textarea id=\"reply\" name=\"reply\"")
            .And.Contain("aria-describedby=\"reply-hint\"")
            .And.Contain($"<form method=\"post\" action=\"{link}\"");
        page.HiddenField("__RequestVerificationToken").Should().NotBeEmpty();
        page.Html.Should().NotContain("<script", "the pages work without JavaScript");
        page.Headers["Cache-Control"].Should().Contain("no-store");
        page.Headers["Referrer-Policy"].Should().Be("no-referrer", "the link's token must not leak to other sites");
        page.Headers["Content-Security-Policy"].Should().Contain("default-src 'none'").And.Contain("form-action 'self'");
        page.Headers["X-Frame-Options"].Should().Be("DENY");
    }

    [Fact]
    public async Task A_reply_with_the_forms_antiforgery_token_is_recorded_and_the_link_then_shows_already_used()
    {
        await using var world = await WebWorld.StartAsync();
        var (message, link) = await world.SendReplyLinkAsync();

        var sent = await world.ReplyThroughFormAsync(link, "Thank you.\r\nCan I stop the cream now?");

        sent.Status.Should().Be(HttpStatusCode.OK);
        sent.Heading.Should().Be("Your reply has been sent");
        sent.Headers["Cache-Control"].Should().Contain("no-store");
        var thread = await world.ConversationAsync(message.ConversationId);
        thread.Should().ContainSingle(m => m.Direction == MessageDirection.Inbound)
            .Which.Body.Should().Be("Thank you.\nCan I stop the cream now?", "browsers send CRLF; the reply is stored with plain line breaks");

        var again = await world.GetPageAsync(link);
        again.Status.Should().Be(HttpStatusCode.Gone);
        again.Heading.Should().Be("You have already replied");
        again.Html.Should().Contain("This link has already been used").And.NotContain("<form");
    }

    [Fact]
    public async Task A_reply_posted_without_an_antiforgery_token_is_refused_and_nothing_is_recorded()
    {
        await using var world = await WebWorld.StartAsync();
        var (message, link) = await world.SendReplyLinkAsync();

        // A cross-site form post: neither the hidden field nor the cookie of the patient's browser.
        var forged = await world.PostFormAsync(link, [new("reply", "Please cancel my appointment")]);

        forged.Status.Should().Be(HttpStatusCode.BadRequest);
        forged.Html.Should().Contain("There is a problem").And.Contain("press Send reply again");
        forged.Html.Should().Contain("Please cancel my appointment</textarea>", "the patient's words are kept for the next press");
        (await world.ConversationAsync(message.ConversationId)).Should().NotContain(m => m.Direction == MessageDirection.Inbound);
        (await world.Services.GetRequiredService<IPatientReplyService>().OpenAsync(link[(link.LastIndexOf('/') + 1)..]))
            .Status.Should().Be(ReplyLinkStatus.Valid, "the link is not spent by a refused post");
    }

    [Fact]
    public async Task A_reply_with_a_token_from_another_browser_session_is_refused()
    {
        await using var world = await WebWorld.StartAsync();
        var (message, link) = await world.SendReplyLinkAsync();
        var attacker = await world.GetPageAsync(link);
        var victim = await world.GetPageAsync(link);

        // The attacker's form token with the victim's cookie: the pair does not match.
        var forged = await world.PostFormAsync(link, [new("__RequestVerificationToken", attacker.HiddenField("__RequestVerificationToken")), new("reply", "x")], victim.Cookies);

        forged.Status.Should().Be(HttpStatusCode.BadRequest);
        (await world.ConversationAsync(message.ConversationId)).Should().NotContain(m => m.Direction == MessageDirection.Inbound);
    }

    [Fact]
    public async Task An_empty_reply_shows_the_form_again_with_an_error_tied_to_the_field()
    {
        await using var world = await WebWorld.StartAsync();
        var (message, link) = await world.SendReplyLinkAsync();

        var page = await world.ReplyThroughFormAsync(link, "   ");

        page.Status.Should().Be(HttpStatusCode.BadRequest);
        page.Html.Should().Contain("<title>Error: Reply to your care team")
            .And.Contain("<p id=\"reply-error\" class=\"error-message\"><span class=\"visually-hidden\">Error:</span> Enter your reply</p>")
            .And.Contain("aria-describedby=\"reply-hint reply-error\" aria-invalid=\"true\"");
        (await world.ConversationAsync(message.ConversationId)).Should().NotContain(m => m.Direction == MessageDirection.Inbound);
    }

    [Fact]
    public async Task A_reply_longer_than_allowed_is_refused_with_its_length()
    {
        await using var world = await WebWorld.StartAsync();
        var (_, link) = await world.SendReplyLinkAsync();

        var page = await world.ReplyThroughFormAsync(link, new string('a', 2001));

        page.Status.Should().Be(HttpStatusCode.BadRequest);
        page.Html.Should().Contain("Your reply must be 2000 characters or fewer. It is 2001 characters.");
    }

    [Fact]
    public async Task An_older_link_shows_that_a_newer_message_replaced_it()
    {
        await using var world = await WebWorld.StartAsync();
        var (first, oldLink) = await world.SendReplyLinkAsync("First");
        var (_, newLink) = await world.SendReplyLinkAsync("Second", first.ConversationId);

        var old = await world.GetPageAsync(oldLink);

        old.Status.Should().Be(HttpStatusCode.Gone);
        old.Heading.Should().Be("There is a newer message for you");
        (await world.GetPageAsync(newLink)).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_link_past_its_lifetime_shows_that_it_expired_and_refuses_a_reply()
    {
        await using var world = await WebWorld.StartAsync();
        var (message, link) = await world.SendReplyLinkAsync();
        var form = await world.GetPageAsync(link);
        world.Clock.Advance(Duration.FromDays(15)); // the default lifetime is 14 days

        var page = await world.GetPageAsync(link);
        var post = await world.PostFormAsync(link, [new("__RequestVerificationToken", form.HiddenField("__RequestVerificationToken")), new("reply", "late")], form.Cookies);

        page.Status.Should().Be(HttpStatusCode.Gone);
        page.Heading.Should().Be("This link has expired");
        post.Heading.Should().Be("This link has expired");
        (await world.ConversationAsync(message.ConversationId)).Should().NotContain(m => m.Direction == MessageDirection.Inbound);
    }

    [Theory]
    [InlineData("/m/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // a well-formed token nobody issued
    [InlineData("/m/r/short")]
    public async Task An_unknown_link_is_a_kind_404(string path)
    {
        await using var world = await WebWorld.StartAsync();

        var page = await world.GetPageAsync(path);

        page.Status.Should().Be(HttpStatusCode.NotFound);
        page.Heading.Should().Be("We could not find this page");
        page.Headers["Cache-Control"].Should().Contain("no-store");
    }

    [Fact]
    public async Task The_staff_message_is_html_encoded()
    {
        await using var world = await WebWorld.StartAsync();
        var (_, link) = await world.SendReplyLinkAsync("<script>alert(1)</script> & <b>bold</b>");

        var page = await world.GetPageAsync(link);

        page.Html.Should().Contain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;").And.NotContain("<script>");
    }

    [Fact]
    public async Task The_host_can_restyle_the_pages_with_its_own_stylesheet_and_name()
    {
        await using var world = await WebWorld.StartAsync(b => b.Services.Configure<MessagingWebOptions>(o =>
        {
            o.SiteName = "Dermatology at Northshire";
            o.StylesheetUrl = new Uri("https://cdn.northshire.nhs.uk/patient.css");
        }));

        var page = await world.GetPageAsync("/m/r/unknown");

        page.Html.Should().Contain("<p class=\"site-name\">Dermatology at Northshire</p>")
            .And.Contain("<link rel=\"stylesheet\" href=\"../assets/patient.css\">")
            .And.Contain("<link rel=\"stylesheet\" href=\"https://cdn.northshire.nhs.uk/patient.css\">");
        page.Headers["Content-Security-Policy"].Should().Contain("style-src 'self' https://cdn.northshire.nhs.uk;");
    }

    [Fact]
    public async Task The_builtin_stylesheet_is_served_next_to_the_pages()
    {
        await using var world = await WebWorld.StartAsync();

        using var response = await world.Client.GetAsync("/m/assets/patient.css");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/css");
        (await response.Content.ReadAsStringAsync()).Should().Contain(".button");
    }

    [Fact]
    public async Task A_host_renderer_replaces_the_pages_but_the_sdk_still_sets_status_and_no_store()
    {
        await using var world = await WebWorld.StartAsync(b => b.Services.AddSingleton<IPatientPageRenderer, KindOnlyRenderer>());
        var (_, link) = await world.SendReplyLinkAsync();

        var page = await world.GetPageAsync(link);
        var unknown = await world.GetPageAsync("/m/r/unknown");

        page.Html.Should().Be("ReplyForm from Dr Alice Adams");
        unknown.Status.Should().Be(HttpStatusCode.NotFound);
        unknown.Html.Should().Be("LinkNotFound from ");
        unknown.Headers["Cache-Control"].Should().Contain("no-store");
    }

    private sealed class KindOnlyRenderer : IPatientPageRenderer
    {
        public Task RenderAsync(HttpContext context, PatientPage page) => context.Response.WriteAsync($"{page.Kind} from {page.SenderName}");
    }
}
