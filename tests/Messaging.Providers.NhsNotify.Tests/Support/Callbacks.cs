using System.Text;
using System.Text.Json;
using Messaging.Providers.NhsNotify.Webhooks;

namespace Messaging.Providers.NhsNotify.Tests.Support;

/// <summary>NHS Notify's callbacks as the spec (callbacks/*.yaml) describes them, signed as NHS Notify signs them.</summary>
public static class Callbacks
{
    public static string MessageStatus(string messageReference, string messageStatus, string? failureReasonCode = null, string? idempotencyKey = null)
        => JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["data"] = new object[]
            {
                new Dictionary<string, object?>
                {
                    ["type"] = "MessageStatus",
                    ["attributes"] = new Dictionary<string, object?>
                    {
                        ["messageId"] = "2WL3qFTEFM0qMY8xjRbt1LIKCzM",
                        ["messageReference"] = messageReference,
                        ["messageStatus"] = messageStatus,
                        ["messageFailureReasonCode"] = failureReasonCode,
                        ["channels"] = new object[] { new Dictionary<string, string> { ["type"] = "sms", ["channelStatus"] = messageStatus == "failed" ? "failed" : "delivered" } },
                        ["timestamp"] = "2025-03-01T09:00:05.000Z",
                        ["routingPlan"] = new Dictionary<string, string> { ["id"] = "00000000-0000-0000-0000-000000000003", ["name"] = "SMS", ["version"] = "v1", ["createdDate"] = "2023-11-17T14:27:51.413Z" },
                    },
                    ["links"] = new Dictionary<string, string> { ["message"] = "https://api.service.nhs.uk/comms/v1/messages/2WL3qFTEFM0qMY8xjRbt1LIKCzM" },
                    ["meta"] = new Dictionary<string, string> { ["idempotencyKey"] = idempotencyKey ?? Guid.NewGuid().ToString("N") },
                },
            },
        });

    public static string ChannelStatus(string messageReference, string channel, string channelStatus, string? supplierStatus, string? failureReasonCode = null)
        => JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["data"] = new object[]
            {
                new Dictionary<string, object?>
                {
                    ["type"] = "ChannelStatus",
                    ["attributes"] = new Dictionary<string, object?>
                    {
                        ["messageId"] = "2WL3qFTEFM0qMY8xjRbt1LIKCzM",
                        ["messageReference"] = messageReference,
                        ["cascadeType"] = "primary",
                        ["cascadeOrder"] = 1,
                        ["channel"] = channel,
                        ["channelStatus"] = channelStatus,
                        ["supplierStatus"] = supplierStatus,
                        ["channelFailureReasonCode"] = failureReasonCode,
                        ["timestamp"] = "2025-03-01T09:00:05.000Z",
                        ["retryCount"] = 0,
                    },
                    ["links"] = new Dictionary<string, string> { ["message"] = "https://api.service.nhs.uk/comms/v1/messages/2WL3qFTEFM0qMY8xjRbt1LIKCzM" },
                    ["meta"] = new Dictionary<string, string> { ["idempotencyKey"] = Guid.NewGuid().ToString("N") },
                },
            },
        });

    public static ProviderWebhookRequest Signed(Uri publicUrl, string body, string? apiKey = NhsNotifyTestHost.ApiKey, string? signature = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [NhsNotifyCallbackSignature.SignatureHeader] = signature ?? NhsNotifyCallbackSignature.Compute(NhsNotifyTestHost.ApplicationId, NhsNotifyTestHost.ApiKey, bytes),
        };
        if (apiKey is not null)
        {
            headers[NhsNotifyCallbackSignature.ApiKeyHeader] = apiKey;
        }

        return new ProviderWebhookRequest
        {
            Method = "POST",
            PublicUrl = publicUrl.AbsoluteUri,
            ContentType = "application/vnd.api+json",
            Headers = headers,
            Body = bytes,
        };
    }
}
