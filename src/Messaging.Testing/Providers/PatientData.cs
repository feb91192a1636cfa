using System.Globalization;
using Xunit;

namespace Messaging.Testing.Providers;

/// <summary>
/// The patient data and credentials a conformance test must not find anywhere an operator can read: log lines,
/// exception messages, error descriptions (R22). Each is searched for as a whole and, for long texts, by every
/// 12-character window, so a provider that logs the first part of a body is caught too.
/// </summary>
internal sealed class PatientData
{
    private const int Window = 12;
    private readonly List<(string What, string Value)> _probes = [];

    /// <summary>A phone number: searched as E.164 and as its digits without the country's leading "+" or trunk "0" ambiguity.</summary>
    public PatientData Phone(string what, PhoneNumber number)
    {
        var e164 = number.Value;
        Add(what, e164);
        Add(what + " (digits)", e164.TrimStart('+'));

        // The last ten digits: the national significant number of a UK mobile, however it is prefixed (+44, 0, 0044).
        if (e164.Length > 11)
        {
            Add(what + " (national digits)", e164[^10..]);
        }

        return this;
    }

    /// <summary>An email address, whole and by its local part.</summary>
    public PatientData Email(string what, EmailAddress address)
    {
        var value = address.Value;
        Add(what, value);
        Add(what + " (local part)", value[..value.IndexOf('@', StringComparison.Ordinal)]);
        return this;
    }

    /// <summary>A text (a body, a subject, a name): whole, and by every window of it.</summary>
    public PatientData Text(string what, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return this;
        }

        Add(what, text);
        for (var i = 0; i + Window <= text.Length; i++)
        {
            var window = text.Substring(i, Window);
            if (!string.IsNullOrWhiteSpace(window))
            {
                Add(what + string.Create(CultureInfo.InvariantCulture, $" (characters {i}-{i + Window})"), window);
            }
        }

        return this;
    }

    /// <summary>Credentials: whole only (a token's fragments are meaningless).</summary>
    public PatientData Credentials(IEnumerable<string> credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        foreach (var credential in credentials)
        {
            Assert.False(string.IsNullOrEmpty(credential), "Credentials must list the provider's real secrets, not empty strings.");
            Add("a credential", credential);
        }

        return this;
    }

    /// <summary>Fails, naming where and what, when any probe occurs in <paramref name="text"/> (ordinal, case-insensitive).</summary>
    public void AssertAbsentFrom(string where, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        foreach (var (what, value) in _probes)
        {
            Assert.False(
                text.Contains(value, StringComparison.OrdinalIgnoreCase),
                $"{where} contains {what} (\"{value}\"); patient data and credentials must never appear there (R22):\n{text}");
        }
    }

    /// <summary>Checks every captured log line.</summary>
    public void AssertAbsentFromLogs(CapturedLogs logs)
    {
        foreach (var line in logs.Lines)
        {
            AssertAbsentFrom("A log line", line);
        }
    }

    /// <summary>Checks what an operator sees of a result.</summary>
    public void AssertAbsentFrom(ProviderSendResult result)
    {
        AssertAbsentFrom("The result's ErrorDescription", result.ErrorDescription);
        AssertAbsentFrom("The result's ErrorCode", result.ErrorCode);
        AssertAbsentFrom("The result's RawStatus", result.RawStatus);
    }

    /// <summary>Checks an exception's full text: type, message, inner exceptions.</summary>
    public void AssertAbsentFrom(Exception exception) => AssertAbsentFrom($"The {exception.GetType().Name}", exception.ToString());

    private void Add(string what, string value)
    {
        if (value.Length >= 4)
        {
            _probes.Add((what, value));
        }
    }
}
