using System.Text;
using Messaging.Providers.NhsNotify.Tests.Support;
using Messaging.Providers.NhsNotify.Webhooks;

namespace Messaging.Providers.NhsNotify.Tests.Webhooks;

public sealed class WebhookHandlerTests : IDisposable
{
    private static readonly Uri StatusUrl = new("https://ehr.example.nhs.uk/m/sms/nhs-notify/status");
    private readonly NhsNotifyTestHost _host = new(new Uri("https://sandbox.api.service.nhs.uk/comms"));

    private IProviderWebhookHandler Handler => _host.Webhooks;

    [Fact]
    public void The_signature_is_hex_hmac_sha256_of_the_body_keyed_with_application_id_dot_api_key()
    {
        // Independent vector: HMAC-SHA256(key "app.key", "{}") computed with openssl:
        //   printf '{}' | openssl dgst -sha256 -hmac 'app.key'
        NhsNotifyCallbackSignature.Compute("app", "key", "{}"u8).Should().Be(ExpectedVector);
    }

    private const string ExpectedVector = "be2aae5d0373b75febc96d05f3e36b3cd12501b78c91eb4da40317b8ab8f414e";

    [Fact]
    public async Task A_callback_with_the_right_key_and_signature_is_authenticated()
        => (await Handler.AuthenticateAsync(Callbacks.Signed(StatusUrl, Callbacks.MessageStatus("m1", "delivered")), default)).Should().BeTrue();

    [Fact]
    public async Task A_wrong_or_missing_signature_or_api_key_is_refused()
    {
        var body = Callbacks.MessageStatus("m1", "delivered");
        var wrongSecret = NhsNotifyCallbackSignature.Compute(NhsNotifyTestHost.ApplicationId, "another-key", Encoding.UTF8.GetBytes(body));

        (await Handler.AuthenticateAsync(Callbacks.Signed(StatusUrl, body, apiKey: null), default)).Should().BeFalse("no x-api-key");
        (await Handler.AuthenticateAsync(Callbacks.Signed(StatusUrl, body, apiKey: "another-key"), default)).Should().BeFalse("a wrong x-api-key");
        (await Handler.AuthenticateAsync(Callbacks.Signed(StatusUrl, body, signature: wrongSecret), default)).Should().BeFalse("signed with another secret");
        (await Handler.AuthenticateAsync(Callbacks.Signed(StatusUrl, body, signature: "not-hex"), default)).Should().BeFalse("a malformed signature");
        var unsigned = Callbacks.Signed(StatusUrl, body);
        var headers = unsigned.Headers.Where(h => h.Key != NhsNotifyCallbackSignature.SignatureHeader).ToDictionary(StringComparer.OrdinalIgnoreCase);
        (await Handler.AuthenticateAsync(new ProviderWebhookRequest { Method = "POST", PublicUrl = StatusUrl.AbsoluteUri, Headers = headers, Body = unsigned.Body }, default)).Should().BeFalse("no signature");
    }

    [Fact]
    public async Task An_upper_case_hex_signature_is_accepted()
    {
        var body = Callbacks.MessageStatus("m1", "delivered");
        var upper = NhsNotifyCallbackSignature.Compute(NhsNotifyTestHost.ApplicationId, NhsNotifyTestHost.ApiKey, Encoding.UTF8.GetBytes(body)).ToUpperInvariant();
        (await Handler.AuthenticateAsync(Callbacks.Signed(StatusUrl, body, signature: upper), default)).Should().BeTrue();
    }

    [Fact]
    public void A_message_status_report_names_its_message_by_reference_for_both_matches()
    {
        var update = Handler.ParseStatusReports(Callbacks.Signed(StatusUrl, Callbacks.MessageStatus("msg-77", "failed", "MFR_PDSV_0002"))).Should().ContainSingle().Subject;

        update.Should().Be(new DeliveryStatusUpdate("nhs-notify", "msg-77", DeliveryStatus.Failed, "failed", "MFR_PDSV_0002") { IdempotencyKey = "msg-77" });
    }

    [Theory]
    [InlineData("delivered", "delivered", DeliveryStatus.Delivered, "delivered")]
    [InlineData("failed", "permanent_failure", DeliveryStatus.Undelivered, "permanent_failure")]
    [InlineData("failed", "temporary_failure", DeliveryStatus.Undelivered, "temporary_failure")]
    [InlineData("failed", "technical_failure", DeliveryStatus.Failed, "technical_failure")]
    [InlineData("sending", null, DeliveryStatus.Sent, "sending")]
    public void A_channel_status_maps_with_the_supplier_status_kept_raw(string channelStatus, string? supplierStatus, DeliveryStatus expected, string raw)
    {
        var update = Handler.ParseStatusReports(Callbacks.Signed(StatusUrl, Callbacks.ChannelStatus("msg-8", "email", channelStatus, supplierStatus, "CFR_1"))).Should().ContainSingle().Subject;

        update.Status.Should().Be(expected);
        update.RawStatus.Should().Be(raw);
        update.ProviderMessageId.Should().Be("msg-8");
    }

    [Fact]
    public void A_skipped_channel_is_not_tracked()
        => Handler.ParseStatusReports(Callbacks.Signed(StatusUrl, Callbacks.ChannelStatus("msg-9", "nhsapp", "skipped", null))).Should().BeEmpty();

    [Fact]
    public void A_replayed_callback_parses_to_the_same_update_so_it_applies_once()
    {
        var body = Callbacks.MessageStatus("msg-r", "delivered", idempotencyKey: "2515ae6b");
        Handler.ParseStatusReports(Callbacks.Signed(StatusUrl, body)).Should().Equal(Handler.ParseStatusReports(Callbacks.Signed(StatusUrl, body)));
    }

    [Fact]
    public void An_unknown_callback_type_is_a_typed_error()
    {
        var body = Callbacks.MessageStatus("msg-t", "delivered").Replace("\"MessageStatus\"", "\"Other\"", StringComparison.Ordinal);
        Handler.Invoking(h => h.ParseStatusReports(Callbacks.Signed(StatusUrl, body))).Should().Throw<MessagingValidationException>().Which.Field.Should().Be("type");
    }

    [Fact]
    public void The_status_route_reads_the_raw_body_and_there_is_no_inbound_route()
        => Handler.Routes.Should().ContainSingle().Which.Should().Be(new ProviderWebhookRoute(ProviderWebhookKind.Status, "sms/nhs-notify/status") { Content = ProviderWebhookContent.Raw });

    public void Dispose() => _host.Dispose();
}
