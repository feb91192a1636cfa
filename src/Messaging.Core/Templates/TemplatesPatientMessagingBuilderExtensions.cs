using Messaging.Templates;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the message template engine (R16) and the host's own placeholders.</summary>
public static class TemplatesPatientMessagingBuilderExtensions
{
    /// <summary>
    /// Configures the template engine (a singleton) and its registry of placeholders, validated
    /// at start-up. <c>AddPatientMessaging()</c> already adds the engine and the template services, so call this only to
    /// set <see cref="TemplateOptions"/> (e.g. the cache size or host placeholders). Safe to call more than once.
    /// </summary>
    /// <param name="builder">The messaging builder from <c>AddPatientMessaging()</c>.</param>
    /// <param name="configure">Sets the options, e.g. the cache size or host placeholders.</param>
    /// <returns>The same builder, to chain calls.</returns>
    public static IPatientMessagingBuilder AddTemplates(this IPatientMessagingBuilder builder, Action<TemplateOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddTemplateEngine(builder.Services);
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }

        return builder;
    }

    /// <summary>
    /// Registers a host placeholder (e.g. <c>appointment.date</c> as <see cref="PlaceholderKind.Date"/>) so templates
    /// may use it, and adds the template engine if it is not there yet.
    /// </summary>
    /// <param name="builder">The messaging builder from <c>AddPatientMessaging()</c>.</param>
    /// <param name="name">A dotted identifier such as <c>clinic.name</c>.</param>
    /// <param name="kind">The kind of value it holds.</param>
    /// <param name="description">A short description for template editors.</param>
    /// <returns>The same builder, to chain calls.</returns>
    /// <exception cref="ArgumentException">The name is not a dotted identifier.</exception>
    public static IPatientMessagingBuilder AddTemplatePlaceholder(
        this IPatientMessagingBuilder builder,
        string name,
        PlaceholderKind kind,
        string? description = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!PlaceholderNames.IsValid(name))
        {
            throw new ArgumentException($"Placeholder name '{name}' is not a dotted identifier such as 'appointment.date'.", nameof(name));
        }

        return builder.AddTemplates(o => o.Placeholders[name] = new CustomPlaceholderOptions { Kind = kind, Description = description });
    }

    /// <summary>The engine's services; <c>TryAdd</c> throughout so a host may replace the registry or the engine.</summary>
    internal static void AddTemplateEngine(IServiceCollection services)
    {
        services.AddOptions<TemplateOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TemplateOptions>, TemplateOptionsValidator>());
        services.TryAddSingleton(sp => TemplateOptionsValidator.CreateRegistry(sp.GetRequiredService<IOptions<TemplateOptions>>().Value));
        services.TryAddSingleton(sp => new TemplateEngine(
            sp.GetRequiredService<PlaceholderRegistry>(),
            sp.GetRequiredService<IOptions<TemplateOptions>>().Value.CacheCapacity));
    }
}
