namespace Messaging.Templates;

/// <summary>
/// A placeholder templates may use: its dotted name (e.g. <c>appointment.date</c>), the kind of value it holds and a
/// description for template editors. Obtained from <see cref="PlaceholderRegistry.Register"/> or
/// <see cref="PlaceholderRegistry.TryGet"/>; immutable.
/// </summary>
internal sealed class PlaceholderDefinition
{
    internal PlaceholderDefinition(string name, PlaceholderKind kind, string? description, bool isBuiltIn, int slot)
    {
        Name = name;
        Kind = kind;
        Description = description;
        IsBuiltIn = isBuiltIn;
        Slot = slot;
    }

    /// <summary>The name as registered, e.g. <c>patient.firstName</c>. Templates match it ignoring case.</summary>
    public string Name { get; }

    /// <summary>The kind of value, which decides the formats a template may give it.</summary>
    public PlaceholderKind Kind { get; }

    /// <summary>A short description for template editors (e.g. a placeholder picker), or <see langword="null"/>.</summary>
    public string? Description { get; }

    /// <summary>Whether the SDK defines it (see <see cref="BuiltInPlaceholders"/>) rather than the host.</summary>
    public bool IsBuiltIn { get; }

    /// <summary>The index of the value in a <see cref="TemplateValues"/>; stable for the registry's lifetime.</summary>
    internal int Slot { get; }

    /// <summary>The name and kind, e.g. <c>appointment.date (Date)</c>.</summary>
    public override string ToString() => $"{Name} ({Kind})";
}
