using Messaging;
using Messaging.Conversations;
using Messaging.Credits;
using Messaging.Events;
using Messaging.History;
using Messaging.Outbox;
using Messaging.Sending;
using Messaging.Patients;
using Messaging.Replies;
using Messaging.Storage;
using Messaging.Storage.InMemory;
using Messaging.Templates;
using Messaging.Workspaces;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Patient Messaging SDK.</summary>
public static class PatientMessagingServiceCollectionExtensions
{
    /// <summary>
    /// Adds the SDK's services and validates <see cref="PatientMessagingOptions"/> at start-up. Chain a store
    /// (<c>.AddEntityFrameworkStore(...)</c> or <see cref="AddInMemoryStore"/>) and providers
    /// (<c>.AddTwilioSms(...)</c>, <c>.AddSmtpEmail(...)</c>) on the returned builder.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options; may be called alongside configuration binding.</param>
    /// <remarks>Every service is added with <c>TryAdd</c>, so a host may replace any of them (e.g. the <see cref="IClock"/>).</remarks>
    public static IPatientMessagingBuilder AddPatientMessaging(this IServiceCollection services, Action<PatientMessagingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<PatientMessagingOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PatientMessagingOptions>, PatientMessagingOptionsValidator>());
#pragma warning disable RS0030 // The one place that names the system clock: hosts and tests replace it.
        services.TryAddSingleton<IClock>(SystemClock.Instance);
#pragma warning restore RS0030
        services.TryAddSingleton<WorkspaceAccess>();
        services.TryAddSingleton<MessagingEventPublisher>();
        services.TryAddSingleton<IWorkspaceService, WorkspaceService>();
        services.TryAddSingleton<MobileNumbers>();
        services.TryAddSingleton<IPatientService, PatientService>();
        services.TryAddSingleton<IConversationService, ConversationService>();
        services.TryAddSingleton<IInboxService, InboxService>();
        services.TryAddSingleton<IPatientHistoryService, PatientHistoryService>();
        services.TryAddSingleton<IAuditReader>(sp => sp.GetRequiredService<IMessagingStore>());

        // Sending (R10, R13-R15, R20)
        services.AddOptions<OutboxOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OutboxOptions>, OutboxOptionsValidator>());
        services.TryAddSingleton<ReplyTokens>();
        services.TryAddSingleton<IPatientReplyService, PatientReplyService>();
        services.TryAddSingleton<IMessageService, MessageService>();
        services.TryAddSingleton<IDeliveryStatusService, DeliveryStatusService>();
        services.TryAddSingleton<OptOutService>();
        services.TryAddSingleton<IOptOutService>(sp => sp.GetRequiredService<OptOutService>());
        services.TryAddSingleton<ICreditService, CreditService>();
        services.TryAddSingleton<IOutboxDispatcher, OutboxDispatcher>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OutboxDispatcherService>());
        AttachmentStoreBuilderExtensions.AddNotificationsAndAttachments(services);

        // Templates (R16): the engine is always there; .AddTemplates(...) / .AddTemplatePlaceholder(...) configure it.
        TemplatesPatientMessagingBuilderExtensions.AddTemplateEngine(services);
        services.TryAddSingleton<ITemplateService, TemplateService>();
        services.TryAddSingleton<ITemplateMessageService, TemplateMessageService>();

        return new PatientMessagingBuilder(services);
    }

    /// <summary>
    /// Uses the thread-safe in-memory store (and, unless another is registered, an in-memory attachment store): for
    /// tests and demos. Everything is lost when the process ends.
    /// </summary>
    public static IPatientMessagingBuilder AddInMemoryStore(this IPatientMessagingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<IMessagingStore, InMemoryMessagingStore>();
        AttachmentStoreBuilderExtensions.AddInMemoryAttachmentStore(builder.Services);
        return builder;
    }

    private sealed class PatientMessagingBuilder(IServiceCollection services) : IPatientMessagingBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
