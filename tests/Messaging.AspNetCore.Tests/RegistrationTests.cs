using Messaging.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.AspNetCore.Tests;

public sealed class RegistrationTests
{
    [Fact]
    public async Task Mapping_without_AddWebEndpoints_says_what_to_call()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddPatientMessaging(o =>
        {
            o.PublicBaseUrl = new Uri("https://ehr.example.nhs.uk/m/");
            o.LinkKey = TestSecrets.LinkKey;
        }).AddInMemoryStore();
        await using var app = builder.Build();

        var map = () => app.MapPatientMessaging("/m");

        map.Should().Throw<InvalidOperationException>().WithMessage("*AddWebEndpoints()*");
    }

    [Fact]
    public async Task Bad_options_stop_the_host_at_start_naming_each_setting()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddPatientMessaging(o =>
        {
            o.PublicBaseUrl = new Uri("https://ehr.example.nhs.uk/m/");
            o.LinkKey = TestSecrets.LinkKey;
        })
            .AddInMemoryStore()
            .AddWebEndpoints(o =>
            {
                o.SiteName = " ";
                o.StylesheetUrl = new Uri("http://cdn.example.com/x.css");
                o.InboundSmsReply = new string('x', 400);
            });
        await using var app = builder.Build();
        app.MapPatientMessaging();

        var start = () => app.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Failures.Should().BeEquivalentTo(
            "Messaging:Web:SiteName is required and must be at most 100 characters long.",
            "Messaging:Web:StylesheetUrl must be a path on the host or an https URL; it is 'http'.",
            "Messaging:Web:InboundSmsReply must be at most 320 characters long; it is 400.");
    }
}
