using System.Text.Json.Serialization;

namespace Messaging.Providers.NhsNotify.Sending;

/// <summary><c>POST /v1/messages</c>: <c>{"data": {"type": "Message", "attributes": {...}}}</c>.</summary>
internal sealed record CreateMessageRequest([property: JsonPropertyName("data")] CreateMessageData Data);

internal sealed record CreateMessageData(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("attributes")] CreateMessageAttributes Attributes);

internal sealed record CreateMessageAttributes(
    [property: JsonPropertyName("routingPlanId")] string RoutingPlanId,
    [property: JsonPropertyName("messageReference")] string MessageReference,
    [property: JsonPropertyName("recipient")] MessageRecipient Recipient,
    [property: JsonPropertyName("personalisation")] IReadOnlyDictionary<string, string> Personalisation);

internal sealed record MessageRecipient([property: JsonPropertyName("contactDetails")] ContactDetails ContactDetails);

internal sealed record ContactDetails
{
    [JsonPropertyName("sms")]
    public string? Sms { get; init; }

    [JsonPropertyName("email")]
    public string? Email { get; init; }
}

/// <summary>The parts of the 201 answer the provider reads: NHS Notify's id and status (the rest is ignored).</summary>
internal sealed class MessageCreatedResponse
{
    [JsonPropertyName("data")]
    public MessageCreatedData? Data { get; set; }
}

internal sealed class MessageCreatedData
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("attributes")]
    public MessageCreatedAttributes? Attributes { get; set; }
}

internal sealed class MessageCreatedAttributes
{
    [JsonPropertyName("messageStatus")]
    public string? MessageStatus { get; set; }
}

/// <summary>NHS Notify's error body: <c>{"errors": [{"code": "CM_INVALID_VALUE", "status": "400", ...}]}</c>.</summary>
/// <remarks>Only <c>code</c> is read: <c>title</c> and <c>detail</c> may quote the refused value.</remarks>
internal sealed class ErrorResponse
{
    [JsonPropertyName("errors")]
    public List<ErrorItem>? Errors { get; set; }
}

internal sealed class ErrorItem
{
    [JsonPropertyName("code")]
    public string? Code { get; set; }
}

/// <summary>Source-generated (reflection-free, trimming-safe) JSON for NHS Notify's requests and answers.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateMessageRequest))]
[JsonSerializable(typeof(MessageCreatedResponse))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class NhsNotifyJsonContext : JsonSerializerContext;
