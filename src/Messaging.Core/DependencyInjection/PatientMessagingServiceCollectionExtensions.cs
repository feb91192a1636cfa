using Messaging;
using Messaging.Conversations;
using Messaging.Credits;
using Messaging.DirectMessages;

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
        services.TryAddSingleton<SmsCost>();
        services.TryAddSingleton<SendPreconditions>();
        services.TryAddSingleton<IMessageService, MessageService>();
        services.TryAddSingleton<IDeliveryStatusService, DeliveryStatusService>();
        services.TryAddSingleton<OptOutService>();
        services.TryAddSingleton<IOptOutService>(sp => sp.GetRequiredService<OptOutService>());
        services.TryAddSingleton<ICreditService, CreditService>();
        services.TryAddSingleton<IOutboxDispatcher, OutboxDispatcher>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OutboxDispatcherService>());
        AttachmentStoreBuilderExtensions.AddAttachments(services);
        SystemEmailsPatientMessagingBuilderExtensions.AddSystemEmailsAndNotifications(services);

        // Direct Messages (R18). The pepper is needed only once they are used: AddDirectMessages checks it at start-up;
        // without that call the first Direct-Message operation checks it and fails before writing anything.
        services.AddOptions<DirectMessageSecurityOptions>();
        services.TryAddSingleton<IArgon2idHasher, KonsciousArgon2idHasher>();
        services.TryAddSingleton<AccessCodeHasher>();
        services.TryAddSingleton<DirectMessageSecrets>();
        services.TryAddSingleton<DirectMessageLegs>();
        services.TryAddSingleton<StaffDirectMessageService>();
        services.TryAddSingleton<DirectMessageUnlockService>();
        services.TryAddSingleton<IDirectMessageService, DirectMessageService>();

        // Internal messages (R17)
        services.TryAddSingleton<IInternalMessageService, Messaging.StaffMessages.InternalMessageService>();

        // Templates (R16): the engine is always there; .AddTemplates(...) / .AddTemplatePlaceholder(...) configure it.
        TemplatesPatientMessagingBuilderExtensions.AddTemplateEngine(services);
        services.TryAddSingleton<ITemplateService, TemplateService>();
        services.TryAddSingleton<ITemplateMessageService, TemplateMessageService>();

        return new PatientMessagingBuilder(services);
    }

    /// <summary>
    /// Turns on Direct Messages (R18) and validates <see cref="DirectMessageSecurityOptions"/> at start-up, so a missing or
    /// weak <c>Messaging:DirectMessages:Pepper</c> stops the host at start rather than at the first Direct Message.
    /// </summary>
    /// <param name="builder">The builder from <see cref="AddPatientMessaging"/>.</param>
    /// <param name="configure">Sets the options (the pepper from a key vault or environment variable, lifetimes, Argon2 cost); may be combined with configuration binding.</param>
    /// <remarks>
    /// Direct-Message services are registered by <see cref="AddPatientMessaging"/> whether or not this is called: a host
    /// that binds the options itself (e.g. <c>services.AddOptions&lt;DirectMessageSecurityOptions&gt;().BindConfiguration("Messaging:DirectMessages")</c>)
    /// can use them without calling this, and then a missing pepper is reported by the first Direct-Message operation
    /// (an <see cref="InvalidOperationException"/> naming the setting, before anything is written). To plug in a faster
    /// Argon2id (e.g. libsodium), register your <see cref="IArgon2idHasher"/> before <see cref="AddPatientMessaging"/>.
    /// </remarks>
    public static IPatientMessagingBuilder AddDirectMessages(this IPatientMessagingBuilder builder, Action<DirectMessageSecurityOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<DirectMessageSecurityOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DirectMessageSecurityOptions>, DirectMessageSecurityOptionsValidator>());
        return builder;
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
