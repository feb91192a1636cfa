using Messaging.Providers.Twilio.Tests.Support;
using Messaging.Providers.Twilio.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Messaging.Providers.Twilio.Tests.Webhooks;

/// <summary>Twilio's <see cref="IProviderWebhookHandler"/> as the web package sees it: routes, authentication and parsing, with no HTTP framework.</summary>
public sealed class WebhookHandlerTests
{
    private const string StatusUrl = "https://ehr.example.nhs.uk/m/sms/twilio/status";

    private static readonly KeyValuePair<string, string>[] Delivered =
    [
        new("MessageSid", "SM0123456789abcdef0123456789abcdef"),
        new("MessageStatus", "delivered"),
        new("AccountSid", TwilioTestHost.AccountSid),
    ];

    private static ProviderWebhookRequest Request(string url, IReadOnlyList<KeyValuePair<string, string>> form, string? signature) => new()
    {
        Method = "POST",
        PublicUrl = url,
        ContentType = "application/x-www-form-urlencoded",
        Headers = signature is null
            ? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["x-twilio-signature"] = signature },
        Form = form,
    };

    private static (ServiceProvider Services, IConfigurationRoot Configuration) Host(string authToken)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Messaging:Twilio:AccountSid"] = TwilioTestHost.AccountSid,
            ["Messaging:Twilio:AuthToken"] = authToken,
            ["Messaging:Twilio:From"] = TwilioTestHost.From,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        new TwilioTestHost.Builder(services).AddTwilioSms(configuration.GetSection("Messaging:Twilio"));
        return (services.BuildServiceProvider(), configuration);
    }

    [Fact]
    public void The_handler_is_registered_as_twilio_with_the_sdk_routes_and_the_deprecated_1_0_paths()
    {
        var (services, _) = Host("old-token");
        using var _ = services;

        var handler = services.GetServices<IProviderWebhookHandler>().Should().ContainSingle().Subject;

        handler.Name.Should().Be("twilio");
        handler.Routes.Should().BeEquivalentTo(new ProviderWebhookRoute[]
        {
            new(ProviderWebhookKind.Status, "sms/twilio/status"),
            new(ProviderWebhookKind.Inbound, "sms/twilio/inbound/{organisationId}"),
            new(ProviderWebhookKind.Status, "twilio/status") { Deprecated = true },
            new(ProviderWebhookKind.Inbound, "twilio/inbound/{organisationId}") { Deprecated = true },
        });
    }

    [Fact]
    public async Task A_rotated_auth_token_applies_on_configuration_reload_without_rebuilding_the_host()
    {
        var (services, configuration) = Host("old-token");
        using var _ = services;
        var handler = services.GetRequiredService<IProviderWebhookHandler>();
        var signedWithOld = new TwilioRequestValidator("old-token").ComputeSignature(StatusUrl, Delivered);
        var signedWithNew = new TwilioRequestValidator("new-token").ComputeSignature(StatusUrl, Delivered);
        (await handler.AuthenticateAsync(Request(StatusUrl, Delivered, signedWithOld), default)).Should().BeTrue();
        (await handler.AuthenticateAsync(Request(StatusUrl, Delivered, signedWithNew), default)).Should().BeFalse();

        configuration["Messaging:Twilio:AuthToken"] = "new-token";
        configuration.Reload();

        (await handler.AuthenticateAsync(Request(StatusUrl, Delivered, signedWithNew), default)).Should().BeTrue("the same handler instance reads the reloaded token");
        (await handler.AuthenticateAsync(Request(StatusUrl, Delivered, signedWithOld), default)).Should().BeFalse("the old token no longer signs valid requests");
        services.GetRequiredService<TwilioRequestValidator>().IsValid(StatusUrl, Delivered, signedWithNew).Should().BeTrue("a validator resolved after the reload uses the new token too");
    }

    [Fact]
    public async Task Unsigned_or_signed_for_another_url_is_refused()
    {
        var (services, _) = Host("old-token");
        using var _ = services;
        var handler = services.GetRequiredService<IProviderWebhookHandler>();
        var validator = new TwilioRequestValidator("old-token");

        (await handler.AuthenticateAsync(Request(StatusUrl, Delivered, null), default)).Should().BeFalse();
        (await handler.AuthenticateAsync(Request(StatusUrl, Delivered, validator.ComputeSignature("https://evil.example.com/m/sms/twilio/status", Delivered)), default)).Should().BeFalse();
    }

    [Fact]
    public async Task A_report_to_the_SDKs_per_message_callback_carries_the_messages_key_and_is_signed_over_it()
    {
        var (services, _) = Host("old-token");
        using var _ = services;
        var handler = services.GetRequiredService<IProviderWebhookHandler>();
        var url = "https://ehr.example.nhs.uk/m/" + ProviderWebhookRoutes.StatusFor("twilio", "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
        var signature = new TwilioRequestValidator("old-token").ComputeSignature(url, Delivered);

        (await handler.AuthenticateAsync(Request(url, Delivered, signature), default)).Should().BeTrue();
        (await handler.AuthenticateAsync(Request(url.Replace("4a5b", "4a5c", StringComparison.Ordinal), Delivered, signature), default)).Should().BeFalse("another message's key breaks the signature");
        handler.ParseStatusReports(Request(url, Delivered, signature)).Should().Equal(
            new DeliveryStatusUpdate("twilio", "SM0123456789abcdef0123456789abcdef", DeliveryStatus.Delivered, "delivered") { IdempotencyKey = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b" });
        handler.ParseStatusReports(Request(StatusUrl, Delivered, null)).Single().IdempotencyKey.Should().BeNull("a URL the host configured by hand names no message");
    }

    [Fact]
    public void Status_reports_map_to_the_sdks_statuses_and_untracked_ones_are_empty()
    {
        var (services, _) = Host("old-token");
        using var _ = services;
        var handler = services.GetRequiredService<IProviderWebhookHandler>();

        handler.ParseStatusReports(Request(StatusUrl, [.. Delivered, new("ErrorCode", "")], null)).Should().Equal(
            new DeliveryStatusUpdate("twilio", "SM0123456789abcdef0123456789abcdef", DeliveryStatus.Delivered, "delivered"));
        handler.ParseStatusReports(Request(StatusUrl, [new("MessageSid", "SM1"), new("MessageStatus", "undelivered"), new("ErrorCode", "30003")], null)).Should().Equal(
            new DeliveryStatusUpdate("twilio", "SM1", DeliveryStatus.Undelivered, "undelivered", "30003"));
        handler.ParseStatusReports(Request(StatusUrl, [new("MessageSid", "SM1"), new("MessageStatus", "receiving")], null)).Should().BeEmpty();
        var missing = () => handler.ParseStatusReports(Request(StatusUrl, [new("MessageStatus", "sent")], null));
        missing.Should().Throw<MessagingValidationException>().Which.ErrorCode.Should().Be(MessagingErrorCodes.Required);
    }

    [Fact]
    public void Inbound_responses_are_TwiML_with_the_reply_escaped_or_empty()
    {
        var (services, _) = Host("old-token");
        using var _ = services;
        var handler = services.GetRequiredService<IProviderWebhookHandler>();

        handler.CreateInboundResponse(null).Body.Should().EndWith("<Response/>");
        var reply = handler.CreateInboundResponse("Call us & <ask>");
        reply.StatusCode.Should().Be(200);
        reply.ContentType.Should().StartWith("text/xml");
        reply.Body.Should().EndWith("<Response><Message>Call us &amp; &lt;ask&gt;</Message></Response>");
    }
}
