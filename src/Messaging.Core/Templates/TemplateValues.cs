using System.Globalization;
using NodaTime;

namespace Messaging.Templates;

/// <summary>
/// The values for one render: typed, keyed by placeholder name, built once per message (R16). Values are patient
/// data: they are never printed by <see cref="ToString"/> nor quoted in any exception.
/// </summary>
/// <remarks>
/// <para>
/// Each setter checks that the placeholder is registered and that the value fits its <see cref="PlaceholderKind"/>,
/// so a host mistake shows at the first send rather than as a wrong message. Dates and times are stored unboxed.
/// </para>
/// <para>
/// A <see langword="null"/>, empty or white-space-only text counts as absent: an optional section
/// (<c>{{#name}}</c>) is skipped, and a placeholder outside any such section fails the render with
/// <see cref="TemplateErrorCodes.ValueMissing"/> rather than sending a half-filled message.
/// </para>
/// <para>Not thread-safe while being filled; once filled it may be read by many renders at once.</para>
/// </remarks>
public sealed class TemplateValues
{
    /// <summary>How many values a new instance has room for before it grows.</summary>
    internal const int DefaultCapacity = 4;

    private static readonly TemplateValue AbsentValue;

    // Only the values set are stored (32 bytes each, unsorted): a message uses a handful of placeholders, so a
    // linear probe by slot beats a hash, and the cost follows the values used rather than the registry's size.
    private TemplateValue[] _values;
    private int _count;

    /// <summary>Creates an empty set of values for templates compiled against <paramref name="registry"/>.</summary>
    /// <param name="registry">The registry of the <see cref="TemplateEngine"/> that compiles the templates.</param>
    /// <param name="capacity">How many values to make room for; it grows as needed.</param>
    /// <remarks>Hosts get an instance from <see cref="ITemplateMessageService.CreateValues"/>.</remarks>
    internal TemplateValues(PlaceholderRegistry registry, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Registry = registry;
        _values = capacity == 0 ? [] : new TemplateValue[capacity];
    }

    /// <summary>The registry whose placeholders these values fill.</summary>
    internal PlaceholderRegistry Registry { get; }

    /// <summary>How many placeholders have a value.</summary>
    public int Count => _count;

    /// <summary>Sets a <see cref="PlaceholderKind.Text"/> value; <see langword="null"/> or blank removes it.</summary>
    /// <param name="name">The placeholder name, e.g. <c>clinic.name</c>.</param>
    /// <param name="value">The text, inserted as is in SMS and HTML-encoded in email bodies.</param>
    /// <returns>This instance, to chain calls.</returns>
    /// <exception cref="ArgumentException">The placeholder is not registered or is not a Text placeholder.</exception>
    public TemplateValues Set(string name, string? value)
        => Store(name, PlaceholderKind.Text, TemplateValue.FromText(value));

    /// <summary>Sets a <see cref="PlaceholderKind.Date"/> value.</summary>
    /// <param name="name">The placeholder name, e.g. <c>appointment.date</c>.</param>
    /// <param name="value">The date.</param>
    /// <returns>This instance, to chain calls.</returns>
    /// <exception cref="ArgumentException">The placeholder is not registered or is not a Date placeholder.</exception>
    public TemplateValues Set(string name, LocalDate value)
        => Store(name, PlaceholderKind.Date, TemplateValue.FromDate(value));

    /// <summary>
    /// Sets a <see cref="PlaceholderKind.DateTime"/> value from an instant; it renders in the time zone passed to
    /// <see cref="CompiledTemplate.Render"/> (the workspace's), so it reads as the local clocks say: BST in summer,
    /// GMT in winter for Europe/London.
    /// </summary>
    /// <param name="name">The placeholder name.</param>
    /// <param name="value">The instant.</param>
    /// <returns>This instance, to chain calls.</returns>
    /// <exception cref="ArgumentException">The placeholder is not registered or is not a DateTime placeholder.</exception>
    public TemplateValues Set(string name, Instant value)
        => Store(name, PlaceholderKind.DateTime, TemplateValue.FromInstant(value));

    /// <summary>
    /// Sets a <see cref="PlaceholderKind.DateTime"/> value that renders in its own zone, not the render call's:
    /// use it when the host knows the zone the patient should read (e.g. the clinic's).
    /// </summary>
    /// <param name="name">The placeholder name.</param>
    /// <param name="value">The zoned date and time.</param>
    /// <returns>This instance, to chain calls.</returns>
    /// <exception cref="ArgumentException">The placeholder is not registered or is not a DateTime placeholder.</exception>
    public TemplateValues Set(string name, ZonedDateTime value)
        => Store(name, PlaceholderKind.DateTime, TemplateValue.FromZonedDateTime(value));

    /// <summary>Sets a <see cref="PlaceholderKind.DateTime"/> value that is already wall-clock time; rendered as given.</summary>
    /// <param name="name">The placeholder name.</param>
    /// <param name="value">The local date and time.</param>
    /// <returns>This instance, to chain calls.</returns>
    /// <exception cref="ArgumentException">The placeholder is not registered or is not a DateTime placeholder.</exception>
    public TemplateValues Set(string name, LocalDateTime value)
        => Store(name, PlaceholderKind.DateTime, TemplateValue.FromLocalDateTime(value));

    /// <summary>Sets a <see cref="PlaceholderKind.Number"/> value.</summary>
    /// <param name="name">The placeholder name.</param>
    /// <param name="value">The number.</param>
    /// <returns>This instance, to chain calls.</returns>
    /// <exception cref="ArgumentException">The placeholder is not registered or is not a Number placeholder.</exception>
    public TemplateValues Set(string name, decimal value)
        => Store(name, PlaceholderKind.Number, TemplateValue.FromNumber(value));

    /// <summary>Removes a value, so the placeholder counts as absent.</summary>
    /// <param name="name">The placeholder name.</param>
    /// <returns>This instance, to chain calls.</returns>
    /// <exception cref="ArgumentException">The placeholder is not registered.</exception>
    public TemplateValues Remove(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Put(Registry.GetRequired(name).Slot, default);
    }

    /// <summary>Whether the placeholder has a value (blank text counts as none).</summary>
    /// <param name="name">The placeholder name.</param>
    /// <returns><see langword="true"/> when a render would find a value.</returns>
    public bool HasValue(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Registry.TryGet(name, out var definition) && Get(definition.Slot).IsPresent;
    }

    /// <summary>
    /// Fills the patient placeholders: <see cref="BuiltInPlaceholders.PatientFirstName"/>, last name, full name,
    /// NHS number (grouped <c>943 476 5919</c>; left unset for a patient without one, R33) and date of birth.
    /// </summary>
    /// <param name="patient">The patient the message is for.</param>
    /// <returns>This instance, to chain calls.</returns>
    public TemplateValues SetPatient(Patient patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var fullName = string.IsNullOrWhiteSpace(patient.GivenName) ? patient.FamilyName
            : string.IsNullOrWhiteSpace(patient.FamilyName) ? patient.GivenName
            : string.Concat(patient.GivenName.Trim(), " ", patient.FamilyName.Trim());
        Set(BuiltInPlaceholders.PatientFirstName, patient.GivenName)
            .Set(BuiltInPlaceholders.PatientLastName, patient.FamilyName)
            .Set(BuiltInPlaceholders.PatientFullName, fullName)
            .Set(BuiltInPlaceholders.PatientDateOfBirth, patient.DateOfBirth);

        // A patient without an NHS number (R33) leaves the placeholder unset: a template that uses it fails to render
        // rather than sending a half-filled message (R16).
        if (patient.NhsNumber is { } nhsNumber)
        {
            var digits = nhsNumber.Value;
            Set(BuiltInPlaceholders.PatientNhsNumber, string.Create(CultureInfo.InvariantCulture, $"{digits.AsSpan(0, 3)} {digits.AsSpan(3, 3)} {digits.AsSpan(6, 4)}"));
        }

        return this;
    }

    /// <summary>Fills <see cref="BuiltInPlaceholders.WorkspaceName"/>.</summary>
    /// <param name="workspace">The workspace the message is sent from.</param>
    /// <returns>This instance, to chain calls.</returns>
    public TemplateValues SetWorkspace(Workspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        return Set(BuiltInPlaceholders.WorkspaceName, workspace.Name);
    }

    /// <summary>Fills <see cref="BuiltInPlaceholders.OrganisationName"/>.</summary>
    /// <param name="organisation">The organisation the workspace belongs to.</param>
    /// <returns>This instance, to chain calls.</returns>
    public TemplateValues SetOrganisation(Organisation organisation)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        return Set(BuiltInPlaceholders.OrganisationName, organisation.Name);
    }

    /// <summary>Fills <see cref="BuiltInPlaceholders.StaffName"/> with the sender's display name.</summary>
    /// <param name="sender">The workspace member sending the message.</param>
    /// <returns>This instance, to chain calls.</returns>
    public TemplateValues SetStaff(WorkspaceMember sender)
    {
        ArgumentNullException.ThrowIfNull(sender);
        return Set(BuiltInPlaceholders.StaffName, sender.DisplayName);
    }

    /// <summary>Counts only: values are patient data and never printed.</summary>
    /// <returns>A description without values.</returns>
    public override string ToString() => $"TemplateValues {{ Count = {_count} }}";

    /// <summary>Copies every value <paramref name="other"/> has over this instance's (same registry): theirs win.</summary>
    internal TemplateValues SetFrom(TemplateValues other)
    {
        if (!ReferenceEquals(other.Registry, Registry))
        {
            throw new ArgumentException("The values were created for another placeholder registry than the template engine's.", nameof(other));
        }

        for (var i = 0; i < other._count; i++)
        {
            Put(other._values[i].Slot, other._values[i]);
        }

        return this;
    }

    /// <summary>The value filling a slot, or an absent value.</summary>
    internal ref readonly TemplateValue Get(int slot)
    {
        var values = _values;
        for (var i = 0; i < _count; i++)
        {
            if (values[i].Slot == slot)
            {
                return ref values[i];
            }
        }

        return ref AbsentValue;
    }

    private TemplateValues Store(string name, PlaceholderKind kind, TemplateValue value)
    {
        ArgumentNullException.ThrowIfNull(name);
        var definition = Registry.GetRequired(name);
        if (definition.Kind != kind)
        {
            throw new ArgumentException(
                $"Placeholder '{definition.Name}' holds {definition.Kind} values, not {kind}.",
                nameof(name));
        }

        return Put(definition.Slot, value);
    }

    private TemplateValues Put(int slot, TemplateValue value)
    {
        var index = IndexOf(slot);
        if (!value.IsPresent)
        {
            if (index >= 0)
            {
                _count--;
                _values[index] = _values[_count];
                _values[_count] = default;
            }

            return this;
        }

        if (index < 0)
        {
            if (_count == _values.Length)
            {
                Array.Resize(ref _values, Math.Max(DefaultCapacity, _count * 2));
            }

            index = _count++;
        }

        _values[index] = value.ForSlot(slot);
        return this;
    }

    private int IndexOf(int slot)
    {
        for (var i = 0; i < _count; i++)
        {
            if (_values[i].Slot == slot)
            {
                return i;
            }
        }

        return -1;
    }
}
