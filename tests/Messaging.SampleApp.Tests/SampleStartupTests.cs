using System.Net;
using Messaging.SampleApp.Dev;
using Microsoft.Extensions.DependencyInjection;

namespace Messaging.SampleApp.Tests;

/// <summary>The sample starts with no credentials, seeded, on a real socket (no browser needed).</summary>
public sealed class SampleStartupTests(SampleSite site) : IClassFixture<SampleSite>
{
    [Fact]
    public async Task The_sample_starts_seeded_with_the_dev_phone_and_mailbox_and_serves_its_pages()
    {
        var services = site.Services;
        services.GetRequiredService<ISmsProvider>().Should().BeOfType<DevPhone>();
        services.GetRequiredService<IEmailProvider>().Should().BeOfType<DevMailbox>();
        (await services.GetRequiredService<IWorkspaceService>().ListMembersAsync(SampleData.Alice, SampleData.Dermatology)).Should().HaveCount(3);
        (await services.GetRequiredService<ITemplateService>().ListAsync(SampleData.Bob, SampleData.Dermatology)).Shared.Should().HaveCount(3);
        (await services.GetRequiredService<ICreditService>().GetBalanceAsync(SampleData.Trust)).Should().BeGreaterThan(0);

        using var http = new HttpClient { BaseAddress = new Uri(site.BaseUrl) };
        (await http.GetStringAsync("/")).Should().Contain("Act as this staff member");
        (await http.GetAsync("/m/assets/patient.css")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await http.GetAsync("/m/r/not-a-token")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
