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
using Microsoft.Extensions.Configuration;
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
    /// <returns>The builder, to chain a store, providers and the web endpoints.</returns>
    /// <remarks>Every service is added with <c>TryAdd</c>, so a host may replace any of them (e.g. the <see cref="IClock"/>).</remarks>
    public static IPatientMessagingBuilder AddPatientMessaging(this IServiceCollection services, Action<PatientMessagingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, configure);
    }

    /// <summary>
    /// Adds the SDK's services with options set elsewhere (for example bound by the host); as
    /// <see cref="AddPatientMessaging(IServiceCollection, Action{PatientMessagingOptions})"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The builder, to chain a store, providers and the web endpoints.</returns>
    public static IPatientMessagingBuilder AddPatientMessaging(this IServiceCollection services) => AddCore(services, null);

    private static IPatientMessagingBuilder AddCore(IServiceCollection services, Action<PatientMessagingOptions>? configure)
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
        services.TryAddSingleton(TimeProvider.System);
#pragma warning restore RS0030
        services.TryAddSingleton<IMessagingPublicUrls, MessagingPublicUrls>();
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
        services.TryAddSingleton<MessageSecrets>();
        services.TryAddSingleton<Messaging.Paging.KeysetPageToken>();
        services.TryAddSingleton<Messaging.Health.DispatcherHeartbeat>();
        services.TryAddSingleton<ReplyTokens>();
        services.TryAddSingleton<IPatientReplyService, PatientReplyService>();
        services.AddOptions<PatientLinkTextOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PatientLinkTextOptions>, PatientLinkTextOptionsValidator>());
        services.TryAddSingleton<PatientLinkWording>();
        services.TryAddSingleton<SmsCost>();
        services.TryAddSingleton<SendPreconditions>();
        services.TryAddSingleton<IMessageService, MessageService>();
        services.TryAddSingleton<IDeliveryStatusService, DeliveryStatusService>();
        services.TryAddSingleton<OptOutService>();
        services.TryAddSingleton<IOptOutService>(sp => sp.GetRequiredService<OptOutService>());
        services.TryAddSingleton<ICreditService, CreditService>();
        services.TryAddSingleton<CreditAlerts>();
        services.TryAddSingleton<OutboxSignal>();
        services.AddOptions<ProviderRouteOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProviderRouteOptions>, ProviderRouteOptionsValidator>());
        services.TryAddSingleton<ProviderRoutes>();
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
    /// Adds the SDK's services with every core option bound from <paramref name="configuration"/>; as
    /// <see cref="AddPatientMessaging(IServiceCollection, IConfiguration, Action{PatientMessagingOptions}?)"/> without code
    /// that runs after binding.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The <c>Messaging</c> section (<see cref="PatientMessagingOptions.SectionName"/>).</param>
    /// <returns>The builder, to chain a store, providers and the web endpoints.</returns>
    public static IPatientMessagingBuilder AddPatientMessaging(this IServiceCollection services, IConfiguration configuration)
        => AddPatientMessaging(services, configuration, null);

    /// <summary>
    /// Adds the SDK's services with every core option bound from <paramref name="configuration"/>, the way the rest of
    /// Microsoft.Extensions is configured: <c>services.AddPatientMessaging(builder.Configuration.GetSection("Messaging"))</c>.
    /// All options are validated at start-up. Chain a store and providers on the returned builder as with the other overload.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">
    /// The <c>Messaging</c> section (<see cref="PatientMessagingOptions.SectionName"/>). Its keys bind
    /// <see cref="PatientMessagingOptions"/>; its sub-sections bind <c>Outbox</c> → <see cref="OutboxOptions"/>,
    /// <c>Attachments</c> → <see cref="AttachmentOptions"/>, <c>SystemEmails</c> → <see cref="SystemEmailOptions"/>,
    /// <c>Templates</c> → <see cref="TemplateOptions"/>, <c>Routes</c> → <see cref="ProviderRouteOptions"/>, <c>PatientLinks</c> → <see cref="PatientLinkTextOptions"/> and <c>DirectMessages</c> → <see cref="DirectMessageSecurityOptions"/>.
    /// </param>
    /// <param name="configure">Runs after binding, e.g. to fill a setting configuration leaves out; may be <see langword="null"/>.</param>
    /// <returns>The builder, to chain a store, providers and the web endpoints.</returns>
    /// <remarks>
    /// <para>
    /// A list in configuration (<c>Attachments:AllowedContentTypes</c>) replaces the default list rather than adding to
    /// it, so a host can narrow it. Dictionaries (<c>Templates:Placeholders</c>) add to what code registered. Time spans
    /// use the <c>[d.]hh:mm:ss</c> form (<c>"14.00:00:00"</c>), URLs are absolute strings, enums their names.
    /// </para>
    /// <para>
    /// When the <c>DirectMessages</c> section exists (whatever keys it has), Direct Messages are treated as in use and
    /// validated at start-up as <see cref="AddDirectMessages"/> does, so a missing or weak <c>Pepper</c> stops the host
    /// at start rather than at the first Direct Message; the pepper may still come from another configuration source
    /// (an environment variable <c>Messaging__DirectMessages__Pepper</c>, a key vault) or from
    /// <c>.AddDirectMessages(o =&gt; o.Pepper = …)</c>. Without the section, call <see cref="AddDirectMessages"/> to get
    /// that check.
    /// </para>
    /// <para>
    /// Validation messages name settings by their conventional path (<c>Messaging:Outbox:BatchSize</c>, …), so bind from
    /// the <c>Messaging</c> section for the messages to match the host's configuration.
    /// </para>
    /// </remarks>
    public static IPatientMessagingBuilder AddPatientMessaging(
        this IServiceCollection services,
        IConfiguration configuration,
        Action<PatientMessagingOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        // Bound before AddPatientMessaging registers `configure`, so code runs after configuration.
        services.AddOptions<PatientMessagingOptions>().Bind(configuration);
        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection("Outbox"));
        services.AddOptions<ProviderRouteOptions>().Bind(configuration.GetSection("Routes"));
        var attachments = configuration.GetSection("Attachments");
        services.AddOptions<AttachmentOptions>().Bind(attachments).Configure(o => ReplaceList(attachments.GetSection(nameof(AttachmentOptions.AllowedContentTypes)), o.AllowedContentTypes));
        services.AddOptions<SystemEmailOptions>().Bind(configuration.GetSection("SystemEmails"));
        services.AddOptions<TemplateOptions>().Bind(configuration.GetSection("Templates"));
        services.AddOptions<PatientLinkTextOptions>().Bind(configuration.GetSection("PatientLinks"));
        var directMessages = configuration.GetSection("DirectMessages");
        services.AddOptions<DirectMessageSecurityOptions>().Bind(directMessages);

        var builder = AddCore(services, configure);
        if (directMessages.Exists())
        {
            builder.AddDirectMessages();
        }

        return builder;
    }

    // The binder adds configured items to a list's defaults; configuration should replace them instead.
    private static void ReplaceList(IConfigurationSection section, IList<string> list)
    {
        var items = section.GetChildren().Select(c => c.Value).OfType<string>().ToList();
        if (items.Count == 0)
        {
            return;
        }

        list.Clear();
        foreach (var item in items)
        {
            list.Add(item);
        }
    }

    /// <summary>
    /// Turns on Direct Messages (R18) and validates <see cref="DirectMessageSecurityOptions"/> at start-up, so a missing or
    /// weak <c>Messaging:DirectMessages:Pepper</c> stops the host at start rather than at the first Direct Message.
    /// </summary>
    /// <param name="builder">The builder from <see cref="AddPatientMessaging(IServiceCollection, Action{PatientMessagingOptions})"/>.</param>
    /// <param name="configure">Sets the options (the pepper from a key vault or environment variable, lifetimes, Argon2 cost); may be combined with configuration binding.</param>
    /// <remarks>
    /// Direct-Message services are registered by <see cref="AddPatientMessaging(IServiceCollection, Action{PatientMessagingOptions})"/> whether or not this is called: a host
    /// that binds the options itself (e.g. <c>services.AddOptions&lt;DirectMessageSecurityOptions&gt;().BindConfiguration("Messaging:DirectMessages")</c>)
    /// can use them without calling this, and then a missing pepper is reported by the first Direct-Message operation
    /// (an <see cref="InvalidOperationException"/> naming the setting, before anything is written). To plug in a faster
    /// Argon2id (e.g. libsodium), register your <see cref="IArgon2idHasher"/> before <see cref="AddPatientMessaging(IServiceCollection, Action{PatientMessagingOptions})"/>.
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
