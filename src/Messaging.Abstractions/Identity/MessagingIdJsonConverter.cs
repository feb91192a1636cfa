using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Messaging;

/// <summary>
/// Writes an id as its plain JSON string (<c>"0190f4c2…"</c>, not <c>{"Value": …}</c>), also as a dictionary key, and
/// reads it back under the id's own rules. Every id of the SDK carries it in a <see cref="JsonConverterAttribute"/>, so
/// hosts need not register anything; it is public so that System.Text.Json source generation can name it.
/// </summary>
/// <typeparam name="TId">The id type: one that reads from text and writes itself with <see cref="object.ToString"/>.</typeparam>
/// <remarks>
/// A JSON <c>null</c>, a non-string token or text the id rejects gives a <see cref="JsonException"/> that names the id
/// type but not the text. A nullable id (<c>ConversationId?</c>) reads <c>null</c> as <see langword="null"/> as usual.
/// </remarks>
public sealed class MessagingIdJsonConverter<TId> : JsonConverter<TId>
    where TId : struct, ISpanParsable<TId>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override TId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"A {typeof(TId).Name} must be a JSON string; the token is {reader.TokenType}.");
        }

        return Parse(reader.GetString());
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, TId value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(Format(value));
    }

    /// <inheritdoc />
    public override TId ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => Parse(reader.GetString());

    /// <inheritdoc />
    public override void WriteAsPropertyName(Utf8JsonWriter writer, TId value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(Format(value));
    }

    private static TId Parse(string? text)
        => TId.TryParse(text, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new JsonException($"The JSON value is not a valid {typeof(TId).Name}.");

    // A default host-key id (e.g. default(StaffId)) has no value; writing it as null or "" would not read back.
    private static string Format(TId value)
        => value.ToString() ?? throw new JsonException($"A default {typeof(TId).Name} has no value to write.");
}
