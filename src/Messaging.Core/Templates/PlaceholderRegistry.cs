using System.Diagnostics.CodeAnalysis;

namespace Messaging.Templates;

/// <summary>
/// The placeholders templates may use: the <see cref="BuiltInPlaceholders"/> plus the host's own (R16), each with its
/// <see cref="PlaceholderKind"/> so that formats are checked when a template is saved.
/// </summary>
/// <remarks>
/// <para>
/// Registration is append-only: a placeholder, once registered, keeps its name and kind for the registry's lifetime,
/// so a template compiled earlier stays valid when more placeholders are added. Registering the same name and kind
/// again is a no-op; the same name with another kind is an error.
/// </para>
/// <para>
/// Names are dotted identifiers (<c>clinic.name</c>, <c>appointment.date</c>): parts of letters, digits and
/// underscores, each starting with a letter or underscore. Templates match them ignoring case.
/// </para>
/// <para>Thread-safe: reads take no lock; registrations are serialised and published atomically.</para>
/// </remarks>
internal sealed class PlaceholderRegistry
{
    private readonly object _gate = new();
    private volatile Snapshot _snapshot = new(new Dictionary<string, PlaceholderDefinition>(StringComparer.OrdinalIgnoreCase), []);

    /// <summary>Creates a registry holding the <see cref="BuiltInPlaceholders"/>.</summary>
    public PlaceholderRegistry()
    {
        Add(BuiltInPlaceholders.PatientFirstName, PlaceholderKind.Text, "The patient's given name.", isBuiltIn: true);
        Add(BuiltInPlaceholders.PatientLastName, PlaceholderKind.Text, "The patient's family name.", isBuiltIn: true);
        Add(BuiltInPlaceholders.PatientFullName, PlaceholderKind.Text, "The patient's given and family name.", isBuiltIn: true);
        Add(BuiltInPlaceholders.PatientNhsNumber, PlaceholderKind.Text, "The patient's NHS number, as 943 476 5919.", isBuiltIn: true);
        Add(BuiltInPlaceholders.PatientDateOfBirth, PlaceholderKind.Date, "The patient's date of birth.", isBuiltIn: true);
        Add(BuiltInPlaceholders.WorkspaceName, PlaceholderKind.Text, "The name of the sending workspace or team.", isBuiltIn: true);
        Add(BuiltInPlaceholders.OrganisationName, PlaceholderKind.Text, "The name of the organisation.", isBuiltIn: true);
        Add(BuiltInPlaceholders.StaffName, PlaceholderKind.Text, "The name of the staff member sending.", isBuiltIn: true);
    }

    /// <summary>Every registered placeholder, built-in first, in registration order.</summary>
    public IReadOnlyList<PlaceholderDefinition> Definitions => _snapshot.ReadOnly;

    /// <summary>How many placeholders are registered.</summary>
    public int Count => _snapshot.BySlot.Length;

    /// <summary>Registers a host placeholder such as <c>appointment.date</c> or <c>clinic.name</c>.</summary>
    /// <param name="name">A dotted identifier; matched ignoring case.</param>
    /// <param name="kind">The kind of value it holds.</param>
    /// <param name="description">A short description for template editors.</param>
    /// <returns>The definition (the existing one when the same name and kind were registered before).</returns>
    /// <exception cref="ArgumentException">
    /// The name is not a dotted identifier, or it is already registered with another kind.
    /// </exception>
    public PlaceholderDefinition Register(string name, PlaceholderKind kind, string? description = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!PlaceholderNames.IsValid(name))
        {
            throw new ArgumentException(
                $"Placeholder name '{name}' is not a dotted identifier such as 'appointment.date': use letters, digits and underscores, each part starting with a letter or underscore.",
                nameof(name));
        }

        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown placeholder kind.");
        }

        return Add(name, kind, description, isBuiltIn: false);
    }

    /// <summary>Finds a placeholder by name, ignoring case.</summary>
    /// <param name="name">The dotted name.</param>
    /// <param name="definition">The definition when found.</param>
    /// <returns>Whether it is registered.</returns>
    public bool TryGet(string name, [NotNullWhen(true)] out PlaceholderDefinition? definition)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _snapshot.ByName.TryGetValue(name, out definition);
    }

    internal PlaceholderDefinition GetRequired(string name)
        => TryGet(name, out var definition)
            ? definition
            : throw new ArgumentException($"No placeholder named '{name}' is registered; register it first with PlaceholderRegistry.Register.", nameof(name));

    private PlaceholderDefinition Add(string name, PlaceholderKind kind, string? description, bool isBuiltIn)
    {
        lock (_gate)
        {
            var current = _snapshot;
            if (current.ByName.TryGetValue(name, out var existing))
            {
                return existing.Kind == kind
                    ? existing
                    : throw new ArgumentException(
                        $"Placeholder '{existing.Name}' is already registered as {existing.Kind}; it cannot be registered again as {kind}.",
                        nameof(name));
            }

            var definition = new PlaceholderDefinition(name, kind, description, isBuiltIn, current.BySlot.Length);
            var byName = new Dictionary<string, PlaceholderDefinition>(current.ByName, StringComparer.OrdinalIgnoreCase)
            {
                [name] = definition,
            };
            _snapshot = new Snapshot(byName, [.. current.BySlot, definition]);
            return definition;
        }
    }

    private sealed record Snapshot(Dictionary<string, PlaceholderDefinition> ByName, PlaceholderDefinition[] BySlot)
    {
        public IReadOnlyList<PlaceholderDefinition> ReadOnly { get; } = Array.AsReadOnly(BySlot);
    }
}

/// <summary>The syntax of placeholder names, shared by the registry and the parser.</summary>
internal static class PlaceholderNames
{
    /// <summary>Dotted identifier: parts of [A-Za-z0-9_], each starting with a letter or underscore, none empty.</summary>
    public static bool IsValid(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
        {
            return false;
        }

        var atPartStart = true;
        foreach (var c in name)
        {
            if (c == '.')
            {
                if (atPartStart)
                {
                    return false;
                }

                atPartStart = true;
                continue;
            }

            var ok = atPartStart ? char.IsAsciiLetter(c) || c == '_' : char.IsAsciiLetterOrDigit(c) || c == '_';
            if (!ok)
            {
                return false;
            }

            atPartStart = false;
        }

        return !atPartStart;
    }
}
