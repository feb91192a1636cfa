using System.Net;
using System.Text.RegularExpressions;
using Messaging.AspNetCore.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Messaging.AspNetCore.Tests;

public sealed class DirectMessagePageTests
{
    [Fact]
    public async Task The_link_asks_for_the_access_code_in_a_labelled_field_and_shows_nothing_of_the_message()
    {
        await using var world = await WebWorld.StartAsync();
        var (_, link, _) = await world.SendDirectMessageAsync("Your biopsy showed no cancer.");

        var page = await world.GetPageAsync(link);

        page.Status.Should().Be(HttpStatusCode.OK);
        page.Heading.Should().Be("Enter your access code");
        page.Html.Should().Contain("<label for=\"code\">Access code</label>")
            .And.Contain("autocomplete=\"one-time-code\"")
            .And.Contain("aria-describedby=\"code-hint\"")
            .And.NotContain("biopsy", "nothing of the message is shown before the code");
        page.HiddenField("__RequestVerificationToken").Should().NotBeEmpty();
        page.Headers["Cache-Control"].Should().Contain("no-store");
        page.Headers["Referrer-Policy"].Should().Be("no-referrer");
    }

    [Fact]
    public async Task The_right_code_shows_the_content_and_its_documents_which_download()
    {
        await using var world = await WebWorld.StartAsync();
        var letter = await world.UploadAsync("Biopsy letter.pdf", "application/pdf", "%PDF-1.7\n%letter"u8.ToArray());
        var (_, link, code) = await world.SendDirectMessageAsync("Your biopsy showed no cancer.\nNo further treatment is needed.", [letter.Id]);

        var page = await world.UnlockAsync(link, code.ToLowerInvariant()); // typed in small letters

        page.Status.Should().Be(HttpStatusCode.OK);
        page.Heading.Should().Be("Your biopsy result");
        WebUtility.HtmlDecode(page.Html).Should().Contain("Your biopsy showed no cancer.\nNo further treatment is needed.").And.Contain("From Dr Alice Adams");
        page.Headers["Cache-Control"].Should().Contain("no-store");
        var download = Regex.Match(page.Html, "<a href=\"https://ehr\\.example\\.nhs\\.uk(/m/a/[A-Za-z0-9_-]+)\" download>Biopsy letter\\.pdf</a>");
        download.Success.Should().BeTrue();
        page.Html.Should().Contain("(PDF, 1 KB)");
        using var file = await world.Client.GetAsync(download.Groups[1].Value);
        (await file.Content.ReadAsByteArrayAsync()).Should().Equal("%PDF-1.7\n%letter"u8.ToArray());
    }

    [Fact]
    public async Task Each_wrong_code_says_how_many_attempts_are_left_and_the_fifth_locks_the_message()
    {
        await using var world = await WebWorld.StartAsync();
        var (_, link, code) = await world.SendDirectMessageAsync();

        var form = await world.GetPageAsync(link);
        var pages = new List<Page>();
        for (var i = 0; i < 5; i++)
        {
            pages.Add(await world.PostCodeAsync(link, form, "WRONG123"));
        }

        pages[0].Status.Should().Be(HttpStatusCode.BadRequest);
        pages[0].Html.Should().Contain("The code is not right. You have 4 attempts left.")
            .And.Contain("<p id=\"code-error\" class=\"error-message\"><span class=\"visually-hidden\">Error:</span>")
            .And.Contain("aria-invalid=\"true\"");
        pages[2].Html.Should().Contain("You have 2 attempts left.");
        pages[3].Html.Should().Contain("You have 1 attempt left before this message is locked.");
        pages[4].Heading.Should().Be("This message is locked");
        var right = await world.PostCodeAsync(link, form, code);
        right.Heading.Should().Be("This message is locked", "after five wrong codes even the right one is refused until staff resend");
        (await world.GetPageAsync(link)).Heading.Should().Be("This message is locked");
    }

    [Fact]
    public async Task A_code_posted_without_an_antiforgery_token_is_refused_and_not_counted()
    {
        await using var world = await WebWorld.StartAsync();
        var (message, link, code) = await world.SendDirectMessageAsync();

        var forged = await world.PostFormAsync(link, [new("code", code)]);

        forged.Status.Should().Be(HttpStatusCode.BadRequest);
        forged.Heading.Should().Be("Enter your access code");
        forged.Html.Should().NotContain("biopsy");
        var view = await world.Services.GetRequiredService<IDirectMessageService>().GetAsync(WebWorld.Alice, message.Id);
        view.FailedAttempts.Should().Be(0);
        view.FirstUnlockedAt.Should().BeNull();
    }

    [Fact]
    public async Task An_empty_code_asks_for_it_without_using_an_attempt()
    {
        await using var world = await WebWorld.StartAsync();
        var (message, link, _) = await world.SendDirectMessageAsync();

        var page = await world.UnlockAsync(link, "  ");

        page.Status.Should().Be(HttpStatusCode.BadRequest);
        page.Html.Should().Contain("Enter the code from the text message");
        (await world.Services.GetRequiredService<IDirectMessageService>().GetAsync(WebWorld.Alice, message.Id)).FailedAttempts.Should().Be(0);
    }

    [Fact]
    public async Task An_expired_link_and_an_unknown_one_get_kind_pages()
    {
        await using var world = await WebWorld.StartAsync();
        var (_, link, code) = await world.SendDirectMessageAsync();
        var form = await world.GetPageAsync(link);
        world.Clock.Advance(Duration.FromDays(8)); // links and codes last 7 days by default

        var expired = await world.PostCodeAsync(link, form, code);
        var opened = await world.GetPageAsync(link);
        var unknown = await world.GetPageAsync("/m/d/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        expired.Status.Should().Be(HttpStatusCode.Gone);
        expired.Heading.Should().Be("This secure message has expired");
        opened.Heading.Should().Be("This secure message has expired");
        unknown.Status.Should().Be(HttpStatusCode.NotFound);
        unknown.Heading.Should().Be("We could not find this page");
    }
}
