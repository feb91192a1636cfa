using System.Text.Json.Serialization;

namespace Messaging.Providers.Twilio.Sending;

/// <summary>The parts of Twilio's Message resource the provider reads (the rest, including <c>to</c> and <c>body</c>, is ignored).</summary>
internal sealed class TwilioMessageResource
{
    [JsonPropertyName("sid")]
    public string? Sid { get; set; }

    [JsonPropertyName("status")]
    public string? Status { get; set; }

    /// <summary>Twilio sends this as a string (<c>"1"</c>); the number handling reads both forms.</summary>
    [JsonPropertyName("num_segments")]
    public int? NumSegments { get; set; }

    [JsonPropertyName("error_code")]
    public int? ErrorCode { get; set; }
}

/// <summary>Twilio's error body: <c>{"code": 21211, "message": "...", "more_info": "...", "status": 400}</c>.</summary>
/// <remarks>The <c>message</c> is deliberately not read: Twilio often quotes the phone number in it.</remarks>
internal sealed class TwilioErrorResource
{
    [JsonPropertyName("code")]
    public int? Code { get; set; }

    [JsonPropertyName("status")]
    public int? Status { get; set; }
}

/// <summary>Source-generated (reflection-free, trimming-safe) JSON for Twilio's answers.</summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(TwilioMessageResource))]
[JsonSerializable(typeof(TwilioErrorResource))]
internal sealed partial class TwilioJsonContext : JsonSerializerContext;
