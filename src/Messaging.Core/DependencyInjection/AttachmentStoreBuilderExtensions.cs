using Messaging;
using Messaging.Attachments;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Attachments (R11): where their bytes are kept, and their limits and link lifetimes.</summary>
public static class AttachmentStoreBuilderExtensions
{
    /// <summary>
    /// Keeps attachment bytes as files under <paramref name="rootPath"/> (created if missing). Use a directory on
    /// storage every app instance shares, and back it up with the database.
    /// </summary>
    /// <param name="builder">The patient-messaging builder.</param>
    /// <param name="rootPath">The root directory.</param>
    /// <returns>The builder.</returns>
    public static IPatientMessagingBuilder AddFileSystemAttachmentStore(this IPatientMessagingBuilder builder, string rootPath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(rootPath);
        builder.Services.Replace(ServiceDescriptor.Singleton<IAttachmentStore>(_ => new FileSystemAttachmentStore(rootPath)));
        return builder;
    }

    /// <summary>Limits and link lifetimes of attachments; validated at start-up.</summary>
    /// <param name="builder">The patient-messaging builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static IPatientMessagingBuilder ConfigureAttachments(this IPatientMessagingBuilder builder, Action<AttachmentOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Attachments (R11): called by <c>AddPatientMessaging</c>.</summary>
    internal static void AddAttachments(IServiceCollection services)
    {
        services.AddOptions<AttachmentOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AttachmentOptions>, AttachmentOptionsValidator>());
        services.TryAddSingleton<IAttachmentStore, UnconfiguredAttachmentStore>();
        services.TryAddSingleton<AttachmentLinks>();
        services.TryAddSingleton<AttachmentService>();
        services.TryAddSingleton<IAttachmentService>(sp => sp.GetRequiredService<AttachmentService>());
    }

    /// <summary>The in-memory attachment store, unless the host chose another one.</summary>
    internal static void AddInMemoryAttachmentStore(IServiceCollection services)
    {
        var current = services.LastOrDefault(d => d.ServiceType == typeof(IAttachmentStore));
        if (current is null || current.ImplementationType == typeof(UnconfiguredAttachmentStore))
        {
            services.Replace(ServiceDescriptor.Singleton<IAttachmentStore, InMemoryAttachmentStore>());
        }
    }
}
