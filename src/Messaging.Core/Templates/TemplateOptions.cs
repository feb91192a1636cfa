using Microsoft.Extensions.Options;

namespace Messaging.Templates;

/// <summary>
/// Settings of the template engine, set with <c>.AddTemplates(o => …)</c> / <c>.AddTemplatePlaceholder(…)</c> on the
/// messaging builder, or bound from <c>Messaging:Templates</c> by
/// <c>services.AddPatientMessaging(configuration.GetSection("Messaging"))</c>.
/// </summary>
public sealed class TemplateOptions
{
    /// <summary>The conventional configuration section for these options; error messages name settings under it.</summary>
    public const string SectionName = "Messaging:Templates";

    /// <summary>How many compiled templates are cached (least recently used first out); 0 turns the cache off.</summary>
    /// <value>The default value is 512.</value>
    public int CacheCapacity { get; set; } = TemplateEngine.DefaultCacheCapacity;

    /// <summary>
    /// The host's own placeholders, by dotted name (e.g. <c>appointment.date</c>), added to the built-in ones. In
    /// configuration: <c>"Placeholders": { "appointment.date": { "Kind": "Date", "Description": "…" } }</c>.
    /// </summary>
    /// <value>The default value is empty.</value>
    public IDictionary<string, CustomPlaceholderOptions> Placeholders { get; } =
        new Dictionary<string, CustomPlaceholderOptions>(StringComparer.OrdinalIgnoreCase);
}

/// <summary>One host placeholder in <see cref="TemplateOptions.Placeholders"/>.</summary>
public sealed class CustomPlaceholderOptions
{
    /// <summary>The kind of value it holds, which decides the formats templates may give it.</summary>
    /// <value>The default value is <see cref="PlaceholderKind.Text"/>.</value>
    public PlaceholderKind Kind { get; set; } = PlaceholderKind.Text;

    /// <summary>A short description for template editors.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Description { get; set; }
}

/// <summary>Validates <see cref="TemplateOptions"/> at start-up, naming each bad setting.</summary>
internal sealed class TemplateOptionsValidator : IValidateOptions<TemplateOptions>
{
    public ValidateOptionsResult Validate(string? name, TemplateOptions options)
    {
        const string Prefix = TemplateOptions.SectionName + ":";
        var failures = new List<string>();
        if (options.CacheCapacity < 0)
        {
            failures.Add($"{Prefix}CacheCapacity must be 0 (no cache) or more; it is {options.CacheCapacity}.");
        }

        var registry = new PlaceholderRegistry();
        foreach (var (placeholder, custom) in options.Placeholders)
        {
            try
            {
                registry.Register(placeholder, custom?.Kind ?? PlaceholderKind.Text, custom?.Description);
            }
            catch (ArgumentException ex)
            {
                failures.Add($"{Prefix}Placeholders:{placeholder} is not valid: {ex.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The registry the engine uses: built-ins plus the configured placeholders, in name order.</summary>
    public static PlaceholderRegistry CreateRegistry(TemplateOptions options)
    {
        var registry = new PlaceholderRegistry();
        foreach (var (placeholder, custom) in options.Placeholders.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase))
        {
            registry.Register(placeholder, custom?.Kind ?? PlaceholderKind.Text, custom?.Description);
        }

        return registry;
    }
}
