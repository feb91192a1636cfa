using System.Diagnostics.CodeAnalysis;

namespace Messaging;

/// <summary>A validated email address (R4): one <c>@</c>, a non-empty local part, a dotted domain, no spaces.</summary>
/// <remarks>
/// The domain is lower-cased; the local part is kept as given (RFC 5321 lets it be case-sensitive).
/// An address is personal data: <see cref="ToString"/> is masked (R22); read <see cref="Value"/>.
/// </remarks>
public readonly struct EmailAddress : IEquatable<EmailAddress>
{
    private const int MaxLength = 254;
    private readonly string? _address;

    private EmailAddress(string address) => _address = address;

    /// <summary>The address.</summary>
    public string Value => _address ?? throw new InvalidOperationException("This EmailAddress was not initialised.");

    /// <summary>Parses an email address.</summary>
    /// <exception cref="MessagingValidationException">Malformed (code <see cref="MessagingErrorCodes.InvalidEmail"/>).</exception>
    public static EmailAddress Parse(string? value)
        => TryParse(value, out var result)
            ? result
            : throw new MessagingValidationException(
                MessagingErrorCodes.InvalidEmail,
                "The email address is not valid: it needs one '@', a local part of at most 64 characters and a dotted domain, without spaces.",
                "email");

    /// <summary>Tries to parse an email address.</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out EmailAddress result)
    {
        result = default;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var s = value.Trim();
        var at = s.IndexOf('@', StringComparison.Ordinal);
        if (s.Length > MaxLength || at <= 0 || at > 64 || at != s.LastIndexOf('@') || at == s.Length - 1)
        {
            return false;
        }

        var local = s.AsSpan(0, at);
        var domain = s.AsSpan(at + 1);
        if (!IsValidLocal(local) || !IsValidDomain(domain))
        {
            return false;
        }

        result = new EmailAddress(string.Concat(local, domain.ToString().ToLowerInvariant().Insert(0, "@")));
        return true;
    }

    private static bool IsValidLocal(ReadOnlySpan<char> local)
    {
        if (local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in local)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~.".Contains(c, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsValidDomain(ReadOnlySpan<char> domain)
    {
        if (domain.Length > 253 || !domain.Contains('.'))
        {
            return false;
        }

        while (!domain.IsEmpty)
        {
            var dot = domain.IndexOf('.');
            var label = dot < 0 ? domain : domain[..dot];
            domain = dot < 0 ? [] : domain[(dot + 1)..];
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-' || (dot >= 0 && domain.IsEmpty))
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <inheritdoc />
    public bool Equals(EmailAddress other) => string.Equals(_address, other._address, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is EmailAddress other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _address is null ? 0 : StringComparer.Ordinal.GetHashCode(_address);

    /// <summary>A masked form, safe for logs. Use <see cref="Value"/> for the address.</summary>
    public override string ToString() => "***@***";

    /// <summary>Equality of the addresses.</summary>
    public static bool operator ==(EmailAddress left, EmailAddress right) => left.Equals(right);

    /// <summary>Inequality of the addresses.</summary>
    public static bool operator !=(EmailAddress left, EmailAddress right) => !left.Equals(right);
}
