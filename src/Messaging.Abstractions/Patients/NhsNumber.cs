using System.Diagnostics.CodeAnalysis;

namespace Messaging;

/// <summary>
/// A validated NHS number (R4): ten digits whose last is the Modulus 11 check digit of the first nine.
/// </summary>
/// <remarks>
/// <para>Input may contain spaces (the usual <c>943 476 5919</c> grouping); it is stored as ten digits.</para>
/// <para>An NHS number is patient data: <see cref="ToString"/> is masked so that the number never reaches a
/// log by accident (R22). Read <see cref="Value"/> when the digits are really needed.</para>
/// </remarks>
public readonly struct NhsNumber : IEquatable<NhsNumber>
{
    private readonly string? _digits;

    private NhsNumber(string digits) => _digits = digits;

    /// <summary>The ten digits, without spaces.</summary>
    public string Value => _digits ?? throw new InvalidOperationException("This NhsNumber was not initialised.");

    /// <summary>Parses an NHS number, allowing spaces between digits.</summary>
    /// <exception cref="MessagingValidationException">Not ten digits, or the check digit is wrong (code <see cref="MessagingErrorCodes.InvalidNhsNumber"/>).</exception>
    public static NhsNumber Parse(string? value)
        => TryParse(value, out var result)
            ? result
            : throw new MessagingValidationException(
                MessagingErrorCodes.InvalidNhsNumber,
                "The NHS number must be 10 digits (spaces allowed) with a valid Modulus 11 check digit.",
                "nhsNumber");

    /// <summary>Tries to parse an NHS number, allowing spaces between digits.</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out NhsNumber result)
    {
        result = default;
        if (value is null)
        {
            return false;
        }

        Span<char> digits = stackalloc char[10];
        var count = 0;
        foreach (var c in value.AsSpan().Trim())
        {
            if (c == ' ')
            {
                continue;
            }

            if (c is < '0' or > '9' || count == 10)
            {
                return false;
            }

            digits[count++] = c;
        }

        if (count != 10 || !HasValidCheckDigit(digits))
        {
            return false;
        }

        result = new NhsNumber(new string(digits));
        return true;
    }

    // NHS Data Dictionary: weights 10..2 over the first nine digits; check = 11 - (sum mod 11);
    // 11 becomes 0, and 10 means the number is invalid.
    private static bool HasValidCheckDigit(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += (digits[i] - '0') * (10 - i);
        }

        var check = 11 - (sum % 11);
        if (check == 11)
        {
            check = 0;
        }

        return check != 10 && check == digits[9] - '0';
    }

    /// <inheritdoc />
    public bool Equals(NhsNumber other) => string.Equals(_digits, other._digits, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is NhsNumber other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _digits is null ? 0 : StringComparer.Ordinal.GetHashCode(_digits);

    /// <summary>A masked form, safe for logs. Use <see cref="Value"/> for the digits.</summary>
    public override string ToString() => "NHS ***";

    /// <summary>Equality of the digits.</summary>
    public static bool operator ==(NhsNumber left, NhsNumber right) => left.Equals(right);

    /// <summary>Inequality of the digits.</summary>
    public static bool operator !=(NhsNumber left, NhsNumber right) => !left.Equals(right);
}
