using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Messaging;

// Host-supplied ids (R1): the host owns identity, the SDK only refers to its records by these keys.
// SDK-generated ids wrap a version-7 Guid, so inserts stay index-friendly.

/// <summary>The host's id of a staff member (R1). Case-sensitive, 1–128 characters, no control characters.</summary>
[JsonConverter(typeof(MessagingIdJsonConverter<StaffId>))]
public readonly record struct StaffId : ISpanParsable<StaffId>
{
    /// <summary>Wraps a host-supplied staff id.</summary>
    /// <exception cref="MessagingValidationException">The value is empty, too long or has control characters.</exception>
    public StaffId(string value) => Value = HostKey.Check(value, "staffId");

    /// <summary>The host's key.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <summary>Reads the id from text, as <see cref="Parse(string, IFormatProvider?)"/> does.</summary>
    /// <param name="s">The text, e.g. a route value.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not a valid id; the message does not repeat it.</exception>
    public static StaffId Parse(string s) => Parse(s, null);

    /// <summary>Reads a staff id under the constructor's rules (1–128 characters, not blank, no control characters); the text is kept as is.</summary>
    /// <param name="s">The text, e.g. a route value.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text breaks those rules; the message does not repeat it.</exception>
    public static StaffId Parse(string s, IFormatProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(s);
        return TryParse(s, provider, out var id) ? id : throw IdText.NotAHostKey("staff id");
    }

    /// <summary>Reads a staff id from characters, as <see cref="Parse(string, IFormatProvider?)"/> does from a string.</summary>
    /// <param name="s">The characters.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <exception cref="FormatException">The characters are not a valid staff id; the message does not repeat them.</exception>
    public static StaffId Parse(ReadOnlySpan<char> s, IFormatProvider? provider)
        => TryParse(s, provider, out var id) ? id : throw IdText.NotAHostKey("staff id");

    /// <summary>Reads a staff id under the constructor's rules; <see langword="false"/> instead of an exception when the text breaks them.</summary>
    /// <param name="s">The text, e.g. a route value; <see langword="null"/> gives <see langword="false"/>.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <param name="result">The id, or <see langword="default"/> when the text is not one.</param>
    /// <returns>Whether the text is a valid staff id.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out StaffId result)
    {
        if (HostKey.IsValid(s))
        {
            result = new StaffId(s);
            return true;
        }

        result = default;
        return false;
    }

    /// <inheritdoc cref="TryParse(string?, IFormatProvider?, out StaffId)" />
    public static bool TryParse([NotNullWhen(true)] string? s, out StaffId result) => TryParse(s, null, out result);

    /// <inheritdoc cref="TryParse(string?, IFormatProvider?, out StaffId)" />
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out StaffId result)
    {
        if (HostKey.IsValid(s))
        {
            result = new StaffId(s.ToString());
            return true;
        }

        result = default;
        return false;
    }
}

/// <summary>The host's id of a patient (R1, R4). Case-sensitive, 1–128 characters, no control characters.</summary>
[JsonConverter(typeof(MessagingIdJsonConverter<PatientId>))]
public readonly record struct PatientId : ISpanParsable<PatientId>
{
    /// <summary>Wraps a host-supplied patient id.</summary>
    /// <exception cref="MessagingValidationException">The value is empty, too long or has control characters.</exception>
    public PatientId(string value) => Value = HostKey.Check(value, "patientId");

    /// <summary>The host's key.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <summary>Reads the id from text, as <see cref="Parse(string, IFormatProvider?)"/> does.</summary>
    /// <param name="s">The text, e.g. a route value.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not a valid id; the message does not repeat it.</exception>
    public static PatientId Parse(string s) => Parse(s, null);

    /// <summary>Reads a patient id under the constructor's rules (1–128 characters, not blank, no control characters); the text is kept as is.</summary>
    /// <param name="s">The text, e.g. a route value.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text breaks those rules; the message does not repeat it.</exception>
    public static PatientId Parse(string s, IFormatProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(s);
        return TryParse(s, provider, out var id) ? id : throw IdText.NotAHostKey("patient id");
    }

    /// <summary>Reads a patient id from characters, as <see cref="Parse(string, IFormatProvider?)"/> does from a string.</summary>
    /// <param name="s">The characters.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <exception cref="FormatException">The characters are not a valid patient id; the message does not repeat them.</exception>
    public static PatientId Parse(ReadOnlySpan<char> s, IFormatProvider? provider)
        => TryParse(s, provider, out var id) ? id : throw IdText.NotAHostKey("patient id");

    /// <summary>Reads a patient id under the constructor's rules; <see langword="false"/> instead of an exception when the text breaks them.</summary>
    /// <param name="s">The text, e.g. a route value; <see langword="null"/> gives <see langword="false"/>.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <param name="result">The id, or <see langword="default"/> when the text is not one.</param>
    /// <returns>Whether the text is a valid patient id.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out PatientId result)
    {
        if (HostKey.IsValid(s))
        {
            result = new PatientId(s);
            return true;
        }

        result = default;
        return false;
    }

    /// <inheritdoc cref="TryParse(string?, IFormatProvider?, out PatientId)" />
    public static bool TryParse([NotNullWhen(true)] string? s, out PatientId result) => TryParse(s, null, out result);

    /// <inheritdoc cref="TryParse(string?, IFormatProvider?, out PatientId)" />
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out PatientId result)
    {
        if (HostKey.IsValid(s))
        {
            result = new PatientId(s.ToString());
            return true;
        }

        result = default;
        return false;
    }
}

/// <summary>The host's id of an organisation, e.g. an NHS trust or a practice (R2).</summary>
[JsonConverter(typeof(MessagingIdJsonConverter<OrganisationId>))]
public readonly record struct OrganisationId : ISpanParsable<OrganisationId>
{
    /// <summary>Wraps a host-supplied organisation id.</summary>
    /// <exception cref="MessagingValidationException">The value is empty, too long or has control characters.</exception>
    public OrganisationId(string value) => Value = HostKey.Check(value, "organisationId");

    /// <summary>The host's key.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <summary>Reads the id from text, as <see cref="Parse(string, IFormatProvider?)"/> does.</summary>
    /// <param name="s">The text, e.g. a route value.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not a valid id; the message does not repeat it.</exception>
    public static OrganisationId Parse(string s) => Parse(s, null);

    /// <summary>Reads a organisation id under the constructor's rules (1–128 characters, not blank, no control characters); the text is kept as is.</summary>
    /// <param name="s">The text, e.g. a route value.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text breaks those rules; the message does not repeat it.</exception>
    public static OrganisationId Parse(string s, IFormatProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(s);
        return TryParse(s, provider, out var id) ? id : throw IdText.NotAHostKey("organisation id");
    }

    /// <summary>Reads a organisation id from characters, as <see cref="Parse(string, IFormatProvider?)"/> does from a string.</summary>
    /// <param name="s">The characters.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <exception cref="FormatException">The characters are not a valid organisation id; the message does not repeat them.</exception>
    public static OrganisationId Parse(ReadOnlySpan<char> s, IFormatProvider? provider)
        => TryParse(s, provider, out var id) ? id : throw IdText.NotAHostKey("organisation id");

    /// <summary>Reads a organisation id under the constructor's rules; <see langword="false"/> instead of an exception when the text breaks them.</summary>
    /// <param name="s">The text, e.g. a route value; <see langword="null"/> gives <see langword="false"/>.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <param name="result">The id, or <see langword="default"/> when the text is not one.</param>
    /// <returns>Whether the text is a valid organisation id.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out OrganisationId result)
    {
        if (HostKey.IsValid(s))
        {
            result = new OrganisationId(s);
            return true;
        }

        result = default;
        return false;
    }

    /// <inheritdoc cref="TryParse(string?, IFormatProvider?, out OrganisationId)" />
    public static bool TryParse([NotNullWhen(true)] string? s, out OrganisationId result) => TryParse(s, null, out result);

    /// <inheritdoc cref="TryParse(string?, IFormatProvider?, out OrganisationId)" />
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out OrganisationId result)
    {
        if (HostKey.IsValid(s))
        {
            result = new OrganisationId(s.ToString());
            return true;
        }

        result = default;
        return false;
    }
}

/// <summary>The id of a workspace (R2): an organisation's default one or a team workspace. Chosen by the host.</summary>
[JsonConverter(typeof(MessagingIdJsonConverter<WorkspaceId>))]
public readonly record struct WorkspaceId : ISpanParsable<WorkspaceId>
{
    /// <summary>Wraps a workspace id.</summary>
    /// <exception cref="MessagingValidationException">The value is empty, too long or has control characters.</exception>
    public WorkspaceId(string value) => Value = HostKey.Check(value, "workspaceId");

    /// <summary>The key.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <summary>Reads the id from text, as <see cref="Parse(string, IFormatProvider?)"/> does.</summary>
    /// <param name="s">The text, e.g. a route value.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not a valid id; the message does not repeat it.</exception>
    public static WorkspaceId Parse(string s) => Parse(s, null);

    /// <summary>Reads a workspace id under the constructor's rules (1–128 characters, not blank, no control characters); the text is kept as is.</summary>
    /// <param name="s">The text, e.g. a route value.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text breaks those rules; the message does not repeat it.</exception>
    public static WorkspaceId Parse(string s, IFormatProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(s);
        return TryParse(s, provider, out var id) ? id : throw IdText.NotAHostKey("workspace id");
    }

    /// <summary>Reads a workspace id from characters, as <see cref="Parse(string, IFormatProvider?)"/> does from a string.</summary>
    /// <param name="s">The characters.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <exception cref="FormatException">The characters are not a valid workspace id; the message does not repeat them.</exception>
    public static WorkspaceId Parse(ReadOnlySpan<char> s, IFormatProvider? provider)
        => TryParse(s, provider, out var id) ? id : throw IdText.NotAHostKey("workspace id");

    /// <summary>Reads a workspace id under the constructor's rules; <see langword="false"/> instead of an exception when the text breaks them.</summary>
    /// <param name="s">The text, e.g. a route value; <see langword="null"/> gives <see langword="false"/>.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <param name="result">The id, or <see langword="default"/> when the text is not one.</param>
    /// <returns>Whether the text is a valid workspace id.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out WorkspaceId result)
    {
        if (HostKey.IsValid(s))
        {
            result = new WorkspaceId(s);
            return true;
        }

        result = default;
        return false;
    }

    /// <inheritdoc cref="TryParse(string?, IFormatProvider?, out WorkspaceId)" />
    public static bool TryParse([NotNullWhen(true)] string? s, out WorkspaceId result) => TryParse(s, null, out result);

    /// <inheritdoc cref="TryParse(string?, IFormatProvider?, out WorkspaceId)" />
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out WorkspaceId result)
    {
        if (HostKey.IsValid(s))
        {
            result = new WorkspaceId(s.ToString());
            return true;
        }

        result = default;
        return false;
    }
}

/// <summary>The id of a team inside a workspace, to which conversations can be assigned (R8). Chosen by the host.</summary>
[JsonConverter(typeof(MessagingIdJsonConverter<TeamId>))]
public readonly record struct TeamId : ISpanParsable<TeamId>
{
    /// <summary>Wraps a team id.</summary>
    /// <exception cref="MessagingValidationException">The value is empty, too long or has control characters.</exception>
    public TeamId(string value) => Value = HostKey.Check(value, "teamId");

    /// <summary>The key.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <summary>Reads the id from text, as <see cref="Parse(string, IFormatProvider?)"/> does.</summary>
    /// <param name="s">The text, e.g. a route value.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not a valid id; the message does not repeat it.</exception>
    public static TeamId Parse(string s) => Parse(s, null);

    /// <summary>Reads a team id under the constructor's rules (1–128 characters, not blank, no control characters); the text is kept as is.</summary>
    /// <param name="s">The text, e.g. a route value.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text breaks those rules; the message does not repeat it.</exception>
    public static TeamId Parse(string s, IFormatProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(s);
        return TryParse(s, provider, out var id) ? id : throw IdText.NotAHostKey("team id");
    }

    /// <summary>Reads a team id from characters, as <see cref="Parse(string, IFormatProvider?)"/> does from a string.</summary>
    /// <param name="s">The characters.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <exception cref="FormatException">The characters are not a valid team id; the message does not repeat them.</exception>
    public static TeamId Parse(ReadOnlySpan<char> s, IFormatProvider? provider)
        => TryParse(s, provider, out var id) ? id : throw IdText.NotAHostKey("team id");

    /// <summary>Reads a team id under the constructor's rules; <see langword="false"/> instead of an exception when the text breaks them.</summary>
    /// <param name="s">The text, e.g. a route value; <see langword="null"/> gives <see langword="false"/>.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <param name="result">The id, or <see langword="default"/> when the text is not one.</param>
    /// <returns>Whether the text is a valid team id.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out TeamId result)
    {
        if (HostKey.IsValid(s))
        {
            result = new TeamId(s);
            return true;
        }

        result = default;
        return false;
    }

    /// <inheritdoc cref="TryParse(string?, IFormatProvider?, out TeamId)" />
    public static bool TryParse([NotNullWhen(true)] string? s, out TeamId result) => TryParse(s, null, out result);

    /// <inheritdoc cref="TryParse(string?, IFormatProvider?, out TeamId)" />
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out TeamId result)
    {
        if (HostKey.IsValid(s))
        {
            result = new TeamId(s.ToString());
            return true;
        }

        result = default;
        return false;
    }
}

/// <summary>The SDK's id of a patient conversation (R5).</summary>
/// <param name="Value">The underlying Guid.</param>
[JsonConverter(typeof(MessagingIdJsonConverter<ConversationId>))]
public readonly record struct ConversationId(Guid Value) : ISpanParsable<ConversationId>
{
    /// <summary>A new, unique, roughly time-ordered id.</summary>
    public static ConversationId New() => new(SequentialGuid.Next());

    /// <inheritdoc />
    public override string ToString() => Value.ToString("N");

    /// <summary>Reads the id from text, as <see cref="Parse(string, IFormatProvider?)"/> does.</summary>
    /// <param name="s">The text, e.g. a route value.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not a valid id; the message does not repeat it.</exception>
    public static ConversationId Parse(string s) => Parse(s, null);

    /// <summary>Reads a conversation id: 32 hexadecimal digits as <see cref="ToString"/> writes them, or the hyphenated 8-4-4-4-12 form.</summary>
    /// <param name="s">The text, e.g. a route value.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not in either form; the message does not repeat it.</exception>
    public static ConversationId Parse(string s, IFormatProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Parse(s.AsSpan(), provider);
    }

    /// <summary>Reads a conversation id from characters, as <see cref="Parse(string, IFormatProvider?)"/> does from a string.</summary>
    /// <param name="s">The characters.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <exception cref="FormatException">The characters are not a valid conversation id; the message does not repeat them.</exception>
    public static ConversationId Parse(ReadOnlySpan<char> s, IFormatProvider? provider)
        => TryParse(s, provider, out var id) ? id : throw IdText.NotAGuid("conversation id");

    /// <summary>Reads a conversation id (32 hexadecimal digits, or the hyphenated form); <see langword="false"/> instead of an exception when the text is neither.</summary>
    /// <param name="s">The text, e.g. a route value; <see langword="null"/> gives <see langword="false"/>.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <param name="result">The id, or <see langword="default"/> when the text is not one.</param>
    /// <returns>Whether the text is a valid conversation id.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out ConversationId result)
    {
        if (s is null)
        {
            result = default;
            return false;
        }

        return TryParse(s.AsSpan(), provider, out result);
    }

    /// <inheritdoc cref="TryParse(string?, IFormatProvider?, out ConversationId)" />
    public static bool TryParse([NotNullWhen(true)] string? s, out ConversationId result) => TryParse(s, null, out result);

    /// <inheritdoc cref="TryParse(string?, IFormatProvider?, out ConversationId)" />
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out ConversationId result)
    {
        var ok = IdText.TryParseGuid(s, out var value);
        result = new ConversationId(value);
        return ok;
    }
}

/// <summary>The SDK's id of a message (R10).</summary>
/// <param name="Value">The underlying Guid.</param>
[JsonConverter(typeof(MessagingIdJsonConverter<MessageId>))]
public readonly record struct MessageId(Guid Value) : ISpanParsable<MessageId>
{
    /// <summary>A new, unique, roughly time-ordered id.</summary>
    public static MessageId New() => new(SequentialGuid.Next());

    /// <inheritdoc />
    public override string ToString() => Value.ToString("N");

    /// <summary>Reads the id from text, as <see cref="Parse(string, IFormatProvider?)"/> does.</summary>
    /// <param name="s">The text, e.g. a route value.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not a valid id; the message does not repeat it.</exception>
    public static MessageId Parse(string s) => Parse(s, null);

    /// <summary>Reads a message id: 32 hexadecimal digits as <see cref="ToString"/> writes them, or the hyphenated 8-4-4-4-12 form.</summary>
    /// <param name="s">The text, e.g. a route value.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not in either form; the message does not repeat it.</exception>
    public static MessageId Parse(string s, IFormatProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Parse(s.AsSpan(), provider);
    }

    /// <summary>Reads a message id from characters, as <see cref="Parse(string, IFormatProvider?)"/> does from a string.</summary>
    /// <param name="s">The characters.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <exception cref="FormatException">The characters are not a valid message id; the message does not repeat them.</exception>
    public static MessageId Parse(ReadOnlySpan<char> s, IFormatProvider? provider)
        => TryParse(s, provider, out var id) ? id : throw IdText.NotAGuid("message id");

    /// <summary>Reads a message id (32 hexadecimal digits, or the hyphenated form); <see langword="false"/> instead of an exception when the text is neither.</summary>
    /// <param name="s">The text, e.g. a route value; <see langword="null"/> gives <see langword="false"/>.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <param name="result">The id, or <see langword="default"/> when the text is not one.</param>
    /// <returns>Whether the text is a valid message id.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out MessageId result)
    {
        if (s is null)
        {
            result = default;
            return false;
        }

        return TryParse(s.AsSpan(), provider, out result);
    }

    /// <inheritdoc cref="TryParse(string?, IFormatProvider?, out MessageId)" />
    public static bool TryParse([NotNullWhen(true)] string? s, out MessageId result) => TryParse(s, null, out result);

    /// <inheritdoc cref="TryParse(string?, IFormatProvider?, out MessageId)" />
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out MessageId result)
    {
        var ok = IdText.TryParseGuid(s, out var value);
        result = new MessageId(value);
        return ok;
    }
}

/// <summary>The SDK's id of an in-app notification (R9, R17).</summary>
/// <param name="Value">The underlying Guid.</param>
[JsonConverter(typeof(MessagingIdJsonConverter<NotificationId>))]
public readonly record struct NotificationId(Guid Value) : ISpanParsable<NotificationId>
{
    /// <summary>A new, unique, roughly time-ordered id.</summary>
    public static NotificationId New() => new(SequentialGuid.Next());

    /// <inheritdoc />
    public override string ToString() => Value.ToString("N");

    /// <summary>Reads the id from text, as <see cref="Parse(string, IFormatProvider?)"/> does.</summary>
    /// <param name="s">The text, e.g. a route value.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not a valid id; the message does not repeat it.</exception>
    public static NotificationId Parse(string s) => Parse(s, null);

    /// <summary>Reads a notification id: 32 hexadecimal digits as <see cref="ToString"/> writes them, or the hyphenated 8-4-4-4-12 form.</summary>
    /// <param name="s">The text, e.g. a route value.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not in either form; the message does not repeat it.</exception>
    public static NotificationId Parse(string s, IFormatProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Parse(s.AsSpan(), provider);
    }

    /// <summary>Reads a notification id from characters, as <see cref="Parse(string, IFormatProvider?)"/> does from a string.</summary>
    /// <param name="s">The characters.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <exception cref="FormatException">The characters are not a valid notification id; the message does not repeat them.</exception>
    public static NotificationId Parse(ReadOnlySpan<char> s, IFormatProvider? provider)
        => TryParse(s, provider, out var id) ? id : throw IdText.NotAGuid("notification id");

    /// <summary>Reads a notification id (32 hexadecimal digits, or the hyphenated form); <see langword="false"/> instead of an exception when the text is neither.</summary>
    /// <param name="s">The text, e.g. a route value; <see langword="null"/> gives <see langword="false"/>.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <param name="result">The id, or <see langword="default"/> when the text is not one.</param>
    /// <returns>Whether the text is a valid notification id.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out NotificationId result)
    {
        if (s is null)
        {
            result = default;
            return false;
        }

        return TryParse(s.AsSpan(), provider, out result);
    }

    /// <inheritdoc cref="TryParse(string?, IFormatProvider?, out NotificationId)" />
    public static bool TryParse([NotNullWhen(true)] string? s, out NotificationId result) => TryParse(s, null, out result);

    /// <inheritdoc cref="TryParse(string?, IFormatProvider?, out NotificationId)" />
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out NotificationId result)
    {
        var ok = IdText.TryParseGuid(s, out var value);
        result = new NotificationId(value);
        return ok;
    }
}

/// <summary>The SDK's id of an attachment (R11).</summary>
/// <param name="Value">The underlying Guid.</param>
[JsonConverter(typeof(MessagingIdJsonConverter<AttachmentId>))]
public readonly record struct AttachmentId(Guid Value) : ISpanParsable<AttachmentId>
{
    /// <summary>A new, unique, roughly time-ordered id.</summary>
    public static AttachmentId New() => new(SequentialGuid.Next());

    /// <inheritdoc />
    public override string ToString() => Value.ToString("N");

    /// <summary>Reads the id from text, as <see cref="Parse(string, IFormatProvider?)"/> does.</summary>
    /// <param name="s">The text, e.g. a route value.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not a valid id; the message does not repeat it.</exception>
    public static AttachmentId Parse(string s) => Parse(s, null);

    /// <summary>Reads a attachment id: 32 hexadecimal digits as <see cref="ToString"/> writes them, or the hyphenated 8-4-4-4-12 form.</summary>
    /// <param name="s">The text, e.g. a route value.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not in either form; the message does not repeat it.</exception>
    public static AttachmentId Parse(string s, IFormatProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Parse(s.AsSpan(), provider);
    }

    /// <summary>Reads a attachment id from characters, as <see cref="Parse(string, IFormatProvider?)"/> does from a string.</summary>
    /// <param name="s">The characters.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <exception cref="FormatException">The characters are not a valid attachment id; the message does not repeat them.</exception>
    public static AttachmentId Parse(ReadOnlySpan<char> s, IFormatProvider? provider)
        => TryParse(s, provider, out var id) ? id : throw IdText.NotAGuid("attachment id");

    /// <summary>Reads a attachment id (32 hexadecimal digits, or the hyphenated form); <see langword="false"/> instead of an exception when the text is neither.</summary>
    /// <param name="s">The text, e.g. a route value; <see langword="null"/> gives <see langword="false"/>.</param>
    /// <param name="provider">Ignored: ids do not depend on culture.</param>
    /// <param name="result">The id, or <see langword="default"/> when the text is not one.</param>
    /// <returns>Whether the text is a valid attachment id.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out AttachmentId result)
    {
        if (s is null)
        {
            result = default;
            return false;
        }

        return TryParse(s.AsSpan(), provider, out result);
    }

    /// <inheritdoc cref="TryParse(string?, IFormatProvider?, out AttachmentId)" />
    public static bool TryParse([NotNullWhen(true)] string? s, out AttachmentId result) => TryParse(s, null, out result);

    /// <inheritdoc cref="TryParse(string?, IFormatProvider?, out AttachmentId)" />
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out AttachmentId result)
    {
        var ok = IdText.TryParseGuid(s, out var value);
        result = new AttachmentId(value);
        return ok;
    }
}

/// <summary>Validation shared by the host-supplied keys.</summary>
internal static class HostKey
{
    internal const int MaxLength = 128;

    /// <summary>The rules of <see cref="Check"/>, without the exception: for <c>TryParse</c>.</summary>
    internal static bool IsValid([NotNullWhen(true)] string? value) => value is not null && IsValid(value.AsSpan());

    /// <inheritdoc cref="IsValid(string?)" />
    internal static bool IsValid(ReadOnlySpan<char> value)
        => !value.IsWhiteSpace() && value.Length <= MaxLength && !value.ContainsAnyInRange('\0', '\u001F') && !value.ContainsAnyInRange('\u007F', '\u009F');

    internal static string Check([NotNull] string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new MessagingValidationException(MessagingErrorCodes.InvalidId, $"The {field} must not be empty.", field);
        }

        if (value.Length > MaxLength)
        {
            throw new MessagingValidationException(
                MessagingErrorCodes.InvalidId, $"The {field} must be at most {MaxLength} characters long.", field);
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                throw new MessagingValidationException(
                    MessagingErrorCodes.InvalidId, $"The {field} must not contain control characters.", field);
            }
        }

        return value;
    }
}

/// <summary>Parsing shared by the ids: the accepted Guid forms and the <see cref="FormatException"/>s, which never repeat the text.</summary>
internal static class IdText
{
    internal static bool TryParseGuid(ReadOnlySpan<char> s, out Guid value)
        => Guid.TryParseExact(s, "N", out value) || Guid.TryParseExact(s, "D", out value);

    internal static FormatException NotAHostKey(string kind)
        => new($"The text is not a valid {kind}: it must be 1 to {HostKey.MaxLength} characters, not all white space, with no control characters.");

    internal static FormatException NotAGuid(string kind)
        => new($"The text is not a valid {kind}: it must be 32 hexadecimal digits, or the hyphenated 8-4-4-4-12 form.");
}

/// <summary>Version-7 Guids, so ids sort roughly by creation time.</summary>
internal static class SequentialGuid
{
    internal static Guid Next() => Guid.CreateVersion7();
}
