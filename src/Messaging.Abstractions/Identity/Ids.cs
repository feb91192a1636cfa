using System.Diagnostics.CodeAnalysis;

namespace Messaging;

// Host-supplied ids (R1): the host owns identity, the SDK only refers to its records by these keys.
// SDK-generated ids wrap a Guid (version 7 where the runtime has it, so inserts stay index-friendly).

/// <summary>The host's id of a staff member (R1). Case-sensitive, 1–128 characters, no control characters.</summary>
public readonly record struct StaffId
{
    /// <summary>Wraps a host-supplied staff id.</summary>
    /// <exception cref="MessagingValidationException">The value is empty, too long or has control characters.</exception>
    public StaffId(string value) => Value = HostKey.Check(value, "staffId");

    /// <summary>The host's key.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>The host's id of a patient (R1, R4). Case-sensitive, 1–128 characters, no control characters.</summary>
public readonly record struct PatientId
{
    /// <summary>Wraps a host-supplied patient id.</summary>
    /// <exception cref="MessagingValidationException">The value is empty, too long or has control characters.</exception>
    public PatientId(string value) => Value = HostKey.Check(value, "patientId");

    /// <summary>The host's key.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>The host's id of an organisation, e.g. an NHS trust or a practice (R2).</summary>
public readonly record struct OrganisationId
{
    /// <summary>Wraps a host-supplied organisation id.</summary>
    /// <exception cref="MessagingValidationException">The value is empty, too long or has control characters.</exception>
    public OrganisationId(string value) => Value = HostKey.Check(value, "organisationId");

    /// <summary>The host's key.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>The id of a workspace (R2): an organisation's default one or a team workspace. Chosen by the host.</summary>
public readonly record struct WorkspaceId
{
    /// <summary>Wraps a workspace id.</summary>
    /// <exception cref="MessagingValidationException">The value is empty, too long or has control characters.</exception>
    public WorkspaceId(string value) => Value = HostKey.Check(value, "workspaceId");

    /// <summary>The key.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>The id of a team inside a workspace, to which conversations can be assigned (R8). Chosen by the host.</summary>
public readonly record struct TeamId
{
    /// <summary>Wraps a team id.</summary>
    /// <exception cref="MessagingValidationException">The value is empty, too long or has control characters.</exception>
    public TeamId(string value) => Value = HostKey.Check(value, "teamId");

    /// <summary>The key.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>The SDK's id of a patient conversation (R5).</summary>
/// <param name="Value">The underlying Guid.</param>
public readonly record struct ConversationId(Guid Value)
{
    /// <summary>A new, unique, roughly time-ordered id.</summary>
    public static ConversationId New() => new(SequentialGuid.Next());

    /// <inheritdoc />
    public override string ToString() => Value.ToString("N");
}

/// <summary>The SDK's id of a message (R10).</summary>
/// <param name="Value">The underlying Guid.</param>
public readonly record struct MessageId(Guid Value)
{
    /// <summary>A new, unique, roughly time-ordered id.</summary>
    public static MessageId New() => new(SequentialGuid.Next());

    /// <inheritdoc />
    public override string ToString() => Value.ToString("N");
}

/// <summary>The SDK's id of an in-app notification (R9, R17).</summary>
/// <param name="Value">The underlying Guid.</param>
public readonly record struct NotificationId(Guid Value)
{
    /// <summary>A new, unique, roughly time-ordered id.</summary>
    public static NotificationId New() => new(SequentialGuid.Next());

    /// <inheritdoc />
    public override string ToString() => Value.ToString("N");
}

/// <summary>The SDK's id of an attachment (R11).</summary>
/// <param name="Value">The underlying Guid.</param>
public readonly record struct AttachmentId(Guid Value)
{
    /// <summary>A new, unique, roughly time-ordered id.</summary>
    public static AttachmentId New() => new(SequentialGuid.Next());

    /// <inheritdoc />
    public override string ToString() => Value.ToString("N");
}

/// <summary>Validation shared by the host-supplied keys.</summary>
internal static class HostKey
{
    internal const int MaxLength = 128;

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

/// <summary>Version-7 Guids where the runtime offers them, so ids sort roughly by creation time.</summary>
internal static class SequentialGuid
{
    internal static Guid Next()
#if NET9_0_OR_GREATER
        => Guid.CreateVersion7();
#else
        => Guid.NewGuid();
#endif
}
