namespace Messaging;

/// <summary>
/// Base type of every error the SDK raises on purpose. Each carries a stable, documented
/// <see cref="ErrorCode"/> (see <see cref="MessagingErrorCodes"/>) that hosts can switch on.
/// </summary>
/// <remarks>
/// Messages name the rule that was broken and, where useful, the offending setting or id, but never
/// patient data (names, NHS numbers, phone numbers, email addresses or message bodies) in clear (R22).
/// When an operation throws one of these, nothing was written (R21).
/// </remarks>
public abstract class MessagingException : Exception
{
    /// <summary>Creates an error with a stable code and a message that carries no patient data.</summary>
    /// <param name="errorCode">A stable code from <see cref="MessagingErrorCodes"/>.</param>
    /// <param name="message">What went wrong, for a developer.</param>
    /// <param name="innerException">The cause, if any.</param>
    protected MessagingException(string errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(errorCode);
        ErrorCode = errorCode;
    }

    /// <summary>The stable, machine-readable code of this error, e.g. <c>patient.nhs_number_invalid</c>.</summary>
    public string ErrorCode { get; }
}

/// <summary>Input was malformed or broke a rule; correct the input and try again.</summary>
public sealed class MessagingValidationException : MessagingException
{
    /// <summary>Creates a validation error.</summary>
    /// <param name="errorCode">A stable code from <see cref="MessagingErrorCodes"/>.</param>
    /// <param name="message">What was wrong, without patient data.</param>
    /// <param name="field">The name of the input that was wrong, when there is one.</param>
    public MessagingValidationException(string errorCode, string message, string? field = null)
        : base(errorCode, message)
    {
        Field = field;
    }

    /// <summary>The name of the input that was wrong (e.g. <c>nhsNumber</c>), or <see langword="null"/>.</summary>
    public string? Field { get; }
}

/// <summary>The acting staff member may not do this (R1): not a member, not an admin, not the owner.</summary>
public sealed class MessagingAuthorizationException : MessagingException
{
    /// <summary>Creates an authorization error.</summary>
    /// <param name="errorCode">A stable code from <see cref="MessagingErrorCodes"/>.</param>
    /// <param name="message">Which rule refused the action.</param>
    public MessagingAuthorizationException(string errorCode, string message)
        : base(errorCode, message)
    {
    }
}

/// <summary>Something the operation refers to does not exist (or is not visible to the actor).</summary>
public sealed class MessagingNotFoundException : MessagingException
{
    /// <summary>Creates a not-found error.</summary>
    /// <param name="errorCode">A stable code from <see cref="MessagingErrorCodes"/>.</param>
    /// <param name="message">What was not found, by id (never by patient data).</param>
    public MessagingNotFoundException(string errorCode, string message)
        : base(errorCode, message)
    {
    }
}

/// <summary>
/// The operation conflicts with the current state: a stale concurrent update, a duplicate, an
/// idempotency key reused with different content, or a state that forbids the action.
/// </summary>
public sealed class MessagingConflictException : MessagingException
{
    /// <summary>Creates a conflict error.</summary>
    /// <param name="errorCode">A stable code from <see cref="MessagingErrorCodes"/>.</param>
    /// <param name="message">What conflicted.</param>
    /// <param name="innerException">The store's own error, if any.</param>
    public MessagingConflictException(string errorCode, string message, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
    }
}
