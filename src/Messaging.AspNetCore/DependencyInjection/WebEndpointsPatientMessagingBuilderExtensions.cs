using Messaging.AspNetCore;
using Messaging.AspNetCore.Pages;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the services behind <c>app.MapPatientMessaging()</c>.</summary>
public static class WebEndpointsPatientMessagingBuilderExtensions
{
    /// <summary>
    /// Adds the patient pages and webhooks with <see cref="MessagingWebOptions"/> bound from the <c>Messaging:Web</c>
    /// section of the host's configuration.
    /// </summary>
    /// <inheritdoc cref="AddWebEndpoints(IPatientMessagingBuilder, Action{MessagingWebOptions})" path="/remarks"/>
    /// <param name="builder">The builder <c>services.AddPatientMessaging()</c> returned.</param>
    /// <returns>The same builder, to chain more registrations.</returns>
    public static IPatientMessagingBuilder AddWebEndpoints(this IPatientMessagingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<MessagingWebOptions>().BindConfiguration(MessagingWebOptions.SectionName);
        return AddCore(builder);
    }

    /// <summary>Adds the patient pages and webhooks with options bound from a configuration section.</summary>
    /// <inheritdoc cref="AddWebEndpoints(IPatientMessagingBuilder, Action{MessagingWebOptions})" path="/remarks"/>
    /// <param name="builder">The builder <c>services.AddPatientMessaging()</c> returned.</param>
    /// <param name="configuration">The section holding <c>SiteName</c>, <c>StylesheetUrl</c> and the rest.</param>
    /// <returns>The same builder, to chain more registrations.</returns>
    public static IPatientMessagingBuilder AddWebEndpoints(this IPatientMessagingBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<MessagingWebOptions>().Bind(configuration);
        return AddCore(builder);
    }

    /// <summary>Adds the patient pages and webhooks with options set in code.</summary>
    /// <param name="builder">The builder <c>services.AddPatientMessaging()</c> returned.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The same builder, to chain more registrations.</returns>
    /// <remarks>
    /// Registers ASP.NET Core anti-forgery (the reply and unlock forms carry a token) and the default
    /// <see cref="IPatientPageRenderer"/> with <c>TryAdd</c>, so a renderer the host registers wins. Options are
    /// validated at start-up. Then map the endpoints with <c>app.MapPatientMessaging("/m")</c>, where <c>/m</c> is the
    /// path of <c>Messaging:PublicBaseUrl</c>.
    /// </remarks>
    public static IPatientMessagingBuilder AddWebEndpoints(this IPatientMessagingBuilder builder, Action<MessagingWebOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<MessagingWebOptions>().Configure(configure);
        return AddCore(builder);
    }

    private static IPatientMessagingBuilder AddCore(IPatientMessagingBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MessagingWebOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MessagingWebOptions>, MessagingWebOptionsValidator>());
        services.AddAntiforgery();
        services.TryAddSingleton<IPatientPageRenderer, DefaultPatientPageRenderer>();
        services.TryAddSingleton<PatientEndpointLimiter>();
        return builder;
    }
}
