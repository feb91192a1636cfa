using System.Diagnostics.CodeAnalysis;

namespace Messaging;

/// <summary>A phone number in E.164 form (<c>+447700900123</c>), as stored and sent to SMS providers (R4).</summary>
/// <remarks>
/// <para>This type checks E.164 syntax only. Turning what a user typed (<c>07700 900123</c>) into E.164, with
/// the rules of numbering plans and a check that it is a mobile, is the job of the SDK's patient service, which
/// uses libphonenumber.</para>
/// <para>A phone number is patient data: <see cref="ToString"/> is masked (R22); read <see cref="Value"/>.</para>
/// </remarks>
public readonly struct PhoneNumber : IEquatable<PhoneNumber>
{
    private readonly string? _e164;

    private PhoneNumber(string e164) => _e164 = e164;

    /// <summary>The number in E.164 form.</summary>
    public string Value => _e164 ?? throw new InvalidOperationException("This PhoneNumber was not initialised.");

    /// <summary>Wraps a number that is already in E.164 form: a plus sign and 8 to 15 digits, the first not zero.</summary>
    /// <exception cref="MessagingValidationException">Not E.164 (code <see cref="MessagingErrorCodes.InvalidPhoneNumber"/>).</exception>
    public static PhoneNumber FromE164(string? e164)
        => TryFromE164(e164, out var result)
            ? result
            : throw new MessagingValidationException(
                MessagingErrorCodes.InvalidPhoneNumber,
                "The phone number must be in E.164 form: '+' then 8 to 15 digits.",
                "phoneNumber");

    /// <summary>Tries to wrap a number in E.164 form.</summary>
    public static bool TryFromE164([NotNullWhen(true)] string? e164, out PhoneNumber result)
    {
        result = default;
        if (e164 is null || e164.Length is < 9 or > 16 || e164[0] != '+' || e164[1] == '0')
        {
            return false;
        }

        for (var i = 1; i < e164.Length; i++)
        {
            if (e164[i] is < '0' or > '9')
            {
                return false;
            }
        }

        result = new PhoneNumber(e164);
        return true;
    }

    /// <inheritdoc />
    public bool Equals(PhoneNumber other) => string.Equals(_e164, other._e164, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PhoneNumber other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _e164 is null ? 0 : StringComparer.Ordinal.GetHashCode(_e164);

    /// <summary>A masked form, safe for logs. Use <see cref="Value"/> for the number.</summary>
    public override string ToString() => "+***";

    /// <summary>Equality of the E.164 forms.</summary>
    public static bool operator ==(PhoneNumber left, PhoneNumber right) => left.Equals(right);

    /// <summary>Inequality of the E.164 forms.</summary>
    public static bool operator !=(PhoneNumber left, PhoneNumber right) => !left.Equals(right);
}
