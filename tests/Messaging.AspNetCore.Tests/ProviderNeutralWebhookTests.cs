using System.Net;
using Messaging.AspNetCore.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Messaging.AspNetCore.Tests;

/// <summary>The web package serves any provider's webhook handler, and references no provider package (R27).</summary>
public sealed class ProviderNeutralWebhookTests
{
    [Fact]
    public void The_web_package_references_no_provider_package()
        => typeof(MessagingWebOptions).Assembly.GetReferencedAssemblies().Select(a => a.Name)
            .Should().NotContain(name => name!.StartsWith("Messaging.Providers.", StringComparison.Ordinal));

    [Fact]
    public async Task Every_registered_handler_gets_its_routes_under_sms_and_its_name()
    {
        await using var world = await WebWorld.StartAsync(b => b.Services.AddSingleton<IProviderWebhookHandler>(new AcmeHandler()));

        var routes = ((IEndpointRouteBuilder)world.App).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText).ToList();

        routes.Should().Contain(["/m/sms/twilio/status", "/m/sms/twilio/inbound/{organisationId}", "/m/twilio/status", "/m/twilio/inbound/{organisationId}", "/m/sms/acme/status", "/m/sms/acme/inbound/{organisationId}"]);
    }

    [Fact]
    public async Task Another_providers_handler_authenticates_against_the_public_url_and_its_reports_move_only_its_own_messages()
    {
        await using var world = await WebWorld.StartAsync(b => b.Services.AddSingleton<IProviderWebhookHandler>(new AcmeHandler()));
        var (message, _) = await world.SendSmsAsync("Hello", allowReply: false); // sent through the provider named "twilio"
        var fields = new FormUrlEncodedContent([new("id", message.ProviderMessageId!), new("status", "delivered")]);

        using var unsigned = await world.Client.PostAsync("/m/sms/acme/status", fields);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/m/sms/acme/status?tenant=7") { Content = fields };
        request.Headers.Add("X-Acme-Url", "https://ehr.example.nhs.uk/m/sms/acme/status?tenant=7");
        using var signed = await world.Client.SendAsync(request);

        unsigned.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        signed.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await world.MessageAsync(message.Id)).Status.Should().Be(DeliveryStatus.Sent, "a report from acme cannot move a message twilio sent, even with its id");
    }

    [Fact]
    public async Task Two_handlers_with_one_name_are_refused_when_mapping()
    {
        var start = () => WebWorld.StartAsync(b => b.Services.AddSingleton<IProviderWebhookHandler>(new AcmeHandler("twilio")));

        (await start.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("'twilio'").And.Contain("duplicate");
    }

    /// <summary>A provider that "signs" by echoing the public URL it called in a header: enough to see which URL the host computed.</summary>
    private sealed class AcmeHandler(string name = "acme") : IProviderWebhookHandler
    {
        public string Name => name;

        public IReadOnlyList<ProviderWebhookRoute> Routes { get; } =
        [
            new(ProviderWebhookKind.Status, ProviderWebhookRoutes.Status(name)),
            new(ProviderWebhookKind.Inbound, ProviderWebhookRoutes.Inbound(name)),
        ];

        public ValueTask<bool> AuthenticateAsync(ProviderWebhookRequest request, CancellationToken cancellationToken)
            => ValueTask.FromResult(request.Headers.TryGetValue("x-acme-url", out var url) && url == request.PublicUrl);

        public IReadOnlyList<DeliveryStatusUpdate> ParseStatusReports(ProviderWebhookRequest request)
        {
            var fields = request.Form.ToDictionary(f => f.Key, f => f.Value);
            // Claims to be twilio: the host must not let it.
            return [new DeliveryStatusUpdate("twilio", fields["id"], DeliveryStatus.Delivered, fields["status"])];
        }

        public InboundSms ParseInboundText(ProviderWebhookRequest request) => throw new NotSupportedException();

        public ProviderWebhookResponse CreateInboundResponse(string? reply) => new(204);
    }
}
