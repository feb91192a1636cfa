using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Messaging.Tests.Identity;

/// <summary>
/// Every id type of the SDK reads from text (route values: <see cref="ISpanParsable{TSelf}"/>) and serializes as its plain
/// string, also as a dictionary key. The id types are found by reflection, so a new one without the interfaces fails here.
/// </summary>
public sealed class IdParsingAndJsonTests
{
    private static readonly Type[] KnownIds =
    [
        typeof(StaffId), typeof(PatientId), typeof(OrganisationId), typeof(WorkspaceId), typeof(TeamId),
        typeof(ConversationId), typeof(MessageId), typeof(NotificationId), typeof(AttachmentId), typeof(TemplateId),
        typeof(DirectMessageId),
    ];

    /// <summary>Public structs of the contracts named <c>…Id</c> that wrap a string or a Guid in <c>Value</c>.</summary>
    private static IEnumerable<Type> IdTypes() => typeof(ConversationId).Assembly.GetExportedTypes()
        .Where(t => t.IsValueType && t.Name.EndsWith("Id", StringComparison.Ordinal)
            && t.GetProperty("Value")?.PropertyType is { } v && (v == typeof(string) || v == typeof(Guid)))
        .OrderBy(t => t.Name, StringComparer.Ordinal);

    public static TheoryData<Type> AllIds()
    {
        var data = new TheoryData<Type>();
        foreach (var type in IdTypes())
        {
            data.Add(type);
        }

        return data;
    }

    [Fact]
    public void Reflection_finds_every_known_id_type()
        => IdTypes().Should().Contain(KnownIds).And.HaveCountGreaterThanOrEqualTo(KnownIds.Length);

    [Theory]
    [MemberData(nameof(AllIds))]
    public void Id_type_is_span_parsable_and_carries_the_json_converter(Type type)
    {
        type.GetInterfaces().Should().Contain(typeof(ISpanParsable<>).MakeGenericType(type)).And.Contain(typeof(IParsable<>).MakeGenericType(type));
        type.GetCustomAttribute<JsonConverterAttribute>()?.ConverterType.Should().Be(typeof(MessagingIdJsonConverter<>).MakeGenericType(type));
        type.GetCustomAttribute<JsonConverterAttribute>().Should().NotBeNull();
    }

    [Theory]
    [MemberData(nameof(AllIds))]
    public void Id_round_trips_through_text_json_and_dictionary_keys(Type type) => Run(type, nameof(RoundTrip));

    [Theory]
    [MemberData(nameof(AllIds))]
    public void Bad_text_fails_to_parse_without_repeating_it(Type type) => Run(type, nameof(BadText));

    [Theory]
    [MemberData(nameof(AllIds))]
    public void Bad_json_gives_a_JsonException(Type type) => Run(type, nameof(BadJson));

    [Theory]
    [InlineData("a")]
    [InlineData(" padded ")]
    [InlineData("Case-Sensitive/With:Punctuation")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("tab\tinside")]
    [InlineData("del\u007f")]
    [InlineData("c1\u0085")]
    [InlineData("é✓ unicode")]
    public void Host_key_parsing_accepts_exactly_what_the_constructor_accepts(string text)
    {
        var constructed = Record.Exception(() => new StaffId(text)) is null;
        StaffId.TryParse(text, out var parsed).Should().Be(constructed);
        StaffId.TryParse(text.AsSpan(), CultureInfo.InvariantCulture, out var fromSpan).Should().Be(constructed);
        if (constructed)
        {
            parsed.Value.Should().Be(text, "the text is kept as is, not trimmed");
            fromSpan.Should().Be(parsed);
        }
    }

    [Fact]
    public void Host_key_length_limit_is_the_constructors()
    {
        StaffId.TryParse(new string('x', 128), out _).Should().BeTrue();
        StaffId.TryParse(new string('x', 129), out _).Should().BeFalse();
        FluentActions.Invoking(() => new StaffId(new string('x', 129))).Should().Throw<MessagingValidationException>();
    }

    [Fact]
    public void Guid_ids_read_the_hyphenated_form_and_write_32_digits()
    {
        var guid = Guid.Parse("0190f4c2-7a4b-7c3d-9e8f-0123456789ab");
        ConversationId.Parse("0190f4c2-7a4b-7c3d-9e8f-0123456789ab").Should().Be(new ConversationId(guid));
        ConversationId.Parse("0190F4C27A4B7C3D9E8F0123456789AB").Should().Be(new ConversationId(guid));
        JsonSerializer.Serialize(new ConversationId(guid)).Should().Be("\"0190f4c27a4b7c3d9e8f0123456789ab\"");
    }

    [Fact]
    public void Ids_inside_a_record_serialize_as_plain_strings_and_nullable_ids_read_null()
    {
        var dto = new Dto(new PatientId("p-42"), null);
        var json = JsonSerializer.Serialize(dto);
        json.Should().Be("{\"Patient\":\"p-42\",\"Conversation\":null}");
        JsonSerializer.Deserialize<Dto>(json).Should().Be(dto);
    }

    [Fact]
    public void A_default_host_key_id_is_not_written_as_null()
        => FluentActions.Invoking(() => JsonSerializer.Serialize(default(StaffId)))
            .Should().Throw<JsonException>().WithMessage("*StaffId*");

    [Fact]
    public void Parse_of_null_string_throws_ArgumentNullException()
        => FluentActions.Invoking(() => PatientId.Parse(null!)).Should().Throw<ArgumentNullException>();

    private sealed record Dto(PatientId Patient, ConversationId? Conversation);

    private static void Run(Type type, string method)
    {
        var generic = typeof(IdParsingAndJsonTests).GetMethod(method, BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type);
        try
        {
            generic.Invoke(null, [Sample(type)]);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }
    }

    private static object Sample(Type type)
        => type.GetProperty("Value")!.PropertyType == typeof(string)
            ? Activator.CreateInstance(type, "Host-Key 42/é")!
            : Activator.CreateInstance(type, Guid.CreateVersion7())!;

    private static bool IsHostKey<T>() => typeof(T).GetProperty("Value")!.PropertyType == typeof(string);

    private static void RoundTrip<T>(T id)
        where T : struct, ISpanParsable<T>
    {
        var text = id.ToString()!;
        T.Parse(text, CultureInfo.InvariantCulture).Should().Be(id);
        T.Parse(text.AsSpan(), CultureInfo.InvariantCulture).Should().Be(id);
        T.TryParse(text, CultureInfo.InvariantCulture, out var parsed).Should().BeTrue();
        parsed.Should().Be(id);

        var json = JsonSerializer.Serialize(id);
        json.Should().Be(JsonSerializer.Serialize(text), "an id is written as its plain string");
        JsonSerializer.Deserialize<T>(json).Should().Be(id);

        var map = new Dictionary<T, int> { [id] = 7 };
        var mapJson = JsonSerializer.Serialize(map);
        mapJson.Should().Be($"{{{JsonSerializer.Serialize(text)}:7}}");
        JsonSerializer.Deserialize<Dictionary<T, int>>(mapJson).Should().Equal(map);
    }

    private static void BadText<T>(T sample)
        where T : struct, ISpanParsable<T>
    {
        _ = sample;
        string[] bad = IsHostKey<T>()
            ? ["", "   ", new string('s', 129), "secret\u0001value"]
            : ["", "   ", "secret-value", "{0190f4c2-7a4b-7c3d-9e8f-0123456789ab}", "0190f4c27a4b7c3d9e8f0123456789a"];
        foreach (var text in bad)
        {
            T.TryParse(text, CultureInfo.InvariantCulture, out var result).Should().BeFalse($"'{text}' is not a {typeof(T).Name}");
            result.Should().Be(default(T));
            T.TryParse(text.AsSpan(), CultureInfo.InvariantCulture, out _).Should().BeFalse();
            var error = FluentActions.Invoking(() => T.Parse(text, CultureInfo.InvariantCulture)).Should().Throw<FormatException>().Which;
            error.Message.Should().Contain("not a valid");
            if (text.Trim().Length > 0)
            {
                error.Message.Should().NotContain(text.Trim().Length > 10 ? text.Trim()[..10] : text.Trim());
            }

            FluentActions.Invoking(() => T.Parse(text.AsSpan(), CultureInfo.InvariantCulture)).Should().Throw<FormatException>();
        }

        T.TryParse((string?)null, CultureInfo.InvariantCulture, out _).Should().BeFalse();
    }

    private static void BadJson<T>(T sample)
        where T : struct, ISpanParsable<T>
    {
        _ = sample;
        foreach (var json in new[] { "null", "42", "{}", "[]", "\"\"", "\"secret\\u0001value\"" }.Concat(IsHostKey<T>() ? [] : ["\"secret-value\""]))
        {
            var error = FluentActions.Invoking(() => JsonSerializer.Deserialize<T>(json)).Should().Throw<JsonException>($"{json} is not a {typeof(T).Name}").Which;
            error.Message.Should().NotContain("secret");
        }

        FluentActions.Invoking(() => JsonSerializer.Deserialize<Dictionary<T, int>>("{\"\":1}")).Should().Throw<JsonException>();
        JsonSerializer.Deserialize<T?>("null").Should().BeNull();
    }
}
