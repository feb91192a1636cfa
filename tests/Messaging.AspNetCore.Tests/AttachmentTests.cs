using System.Net;
using System.Text.RegularExpressions;
using Messaging.AspNetCore.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Messaging.AspNetCore.Tests;

public sealed class AttachmentTests
{
    [Fact]
    public async Task A_download_link_sends_the_file_as_a_download_that_is_never_cached()
    {
        await using var world = await WebWorld.StartAsync();
        var file = await world.UploadAsync("Leaflet é.png", "image/png", WebWorld.Png);
        var (_, text) = await world.SendSmsAsync("Please read the leaflet.", allowReply: false, attachments: [file.Id]);
        var link = new Uri(Regex.Match(text, @"https://ehr\.example\.nhs\.uk/m/a/[A-Za-z0-9_-]+").Value).AbsolutePath;

        using var response = await world.Client.GetAsync(link);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(WebWorld.Png);
        response.Content.Headers.ContentType!.MediaType.Should().Be("image/png");
        response.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment", "uploaded content never renders on this origin");
        response.Content.Headers.ContentDisposition.FileNameStar.Should().Be("Leaflet é.png");
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        string.Join(",", response.Headers.GetValues("Content-Security-Policy")).Should().Contain("sandbox");
    }

    [Fact]
    public async Task An_expired_download_link_shows_a_kind_page_and_an_unknown_one_a_404()
    {
        await using var world = await WebWorld.StartAsync();
        var file = await world.UploadAsync("leaflet.pdf", "application/pdf", "%PDF-1.7\n%test"u8.ToArray());
        var (_, text) = await world.SendSmsAsync("Please read the leaflet.", allowReply: false, attachments: [file.Id]);
        var link = new Uri(Regex.Match(text, @"https://ehr\.example\.nhs\.uk/m/a/[A-Za-z0-9_-]+").Value).AbsolutePath;
        world.Clock.Advance(Duration.FromDays(15));

        var expired = await world.GetPageAsync(link);
        var unknown = await world.GetPageAsync("/m/a/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        expired.Status.Should().Be(HttpStatusCode.Gone);
        expired.Heading.Should().Be("This download link has expired");
        unknown.Status.Should().Be(HttpStatusCode.NotFound);
        unknown.Heading.Should().Be("We could not find this page");
    }

    [Fact]
    public async Task The_reply_form_offers_one_file_with_its_limits()
    {
        await using var world = await WebWorld.StartAsync();
        var (_, link) = await world.SendReplyLinkAsync();

        var page = await world.GetPageAsync(link);

        page.Html.Should().Contain("enctype=\"multipart/form-data\"")
            .And.Contain("<label for=\"attachment\">Add a photo or document (optional)</label>")
            .And.Contain("One file: PDF, JPEG or PNG, up to 10 MB.")
            .And.Contain("<input type=\"file\" id=\"attachment\" name=\"attachment\" accept=\"application/pdf,image/jpeg,image/png\" aria-describedby=\"attachment-hint\">");
    }

    [Fact]
    public async Task A_reply_with_a_photo_lands_in_the_conversation_with_the_file()
    {
        await using var world = await WebWorld.StartAsync();
        var (message, link) = await world.SendReplyLinkAsync();

        var sent = await world.ReplyWithFileAsync(link, "Here is the rash today.", "rash.png", "image/png", WebWorld.Png);

        sent.Status.Should().Be(HttpStatusCode.OK);
        sent.Heading.Should().Be("Your reply has been sent");
        var reply = (await world.ConversationAsync(message.ConversationId)).Single(m => m.Direction == MessageDirection.Inbound);
        reply.Attachments.Should().ContainSingle();
        await using var download = await world.Services.GetRequiredService<IAttachmentService>().OpenAsync(WebWorld.Alice, reply.Attachments[0]);
        using var copy = new MemoryStream();
        await download.Content!.CopyToAsync(copy);
        copy.ToArray().Should().Equal(WebWorld.Png);
    }

    [Fact]
    public async Task A_reply_with_a_refused_file_type_shows_the_form_again_with_the_error_on_the_file_and_records_nothing()
    {
        await using var world = await WebWorld.StartAsync();
        var (message, link) = await world.SendReplyLinkAsync();

        var page = await world.ReplyWithFileAsync(link, "See attached", "run-me.exe", "application/x-msdownload", "MZ\x90\0"u8.ToArray());

        page.Status.Should().Be(HttpStatusCode.BadRequest);
        page.Html.Should().Contain("<p id=\"attachment-error\" class=\"error-message\"><span class=\"visually-hidden\">Error:</span> This type of file cannot be sent.")
            .And.Contain("<a href=\"#attachment\">")
            .And.Contain("See attached</textarea>");
        (await world.ConversationAsync(message.ConversationId)).Should().NotContain(m => m.Direction == MessageDirection.Inbound);
    }
}
