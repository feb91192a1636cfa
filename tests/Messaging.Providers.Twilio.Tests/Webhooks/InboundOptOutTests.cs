using Messaging.Tests.Support;
using Messaging.Providers.Twilio.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Messaging.Providers.Twilio.Tests.Webhooks;

/// <summary>End to end through the SDK's own services: a signed Twilio STOP opts the number out, START opts it back in (R14).</summary>
public sealed class InboundOptOutTests
{
    private const string WebhookUrl = "https://ehr.example.nhs.uk/m/twilio/inbound/northshire-trust";
    private static readonly OrganisationId Trust = new("trust-1");

    private static KeyValuePair<string, string>[] Inbound(string body) =>
    [
        new("MessageSid", $"SM{Guid.NewGuid():N}"),
        new("AccountSid", "AC0123456789abcdef0123456789abcdef"),
        new("From", "+447700900123"),
        new("To", "+447700900001"),
        new("Body", body),
    ];

    [Fact]
    public async Task A_signed_inbound_STOP_opts_the_sender_out_and_START_opts_them_back_in()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPatientMessaging(o =>
        {
            o.PublicBaseUrl = new Uri("https://ehr.example.nhs.uk/m/");
            o.LinkKey = TestSecrets.LinkKey;
        })
            .AddInMemoryStore()
            .AddTwilioSms(o =>
            {
                o.AccountSid = "AC0123456789abcdef0123456789abcdef";
                o.AuthToken = "webhook-token";
                o.From = "+447700900001";
            });
        await using var provider = services.BuildServiceProvider();
        var validator = provider.GetRequiredService<TwilioRequestValidator>();
        var optOuts = provider.GetRequiredService<IOptOutService>();
        var patient = PhoneNumber.FromE164("+447700900123");

        foreach (var (body, expected) in new[] { ("Stop", true), ("START", false) })
        {
            var form = Inbound(body);
            var signature = new TwilioRequestValidator("webhook-token").ComputeSignature(WebhookUrl, form);
            validator.IsValid(WebhookUrl, form, signature).Should().BeTrue();

            await optOuts.HandleInboundAsync(Trust, TwilioWebhookParser.ParseInboundMessage(form));

            (await optOuts.IsOptedOutAsync(Trust, patient)).Should().Be(expected, $"after '{body}'");
        }
    }
}
