using Messaging;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Subscribes host handlers to the SDK's in-process events (R25).</summary>
public static class EventsPatientMessagingBuilderExtensions
{
    /// <summary>
    /// Registers <typeparamref name="THandler"/> for every <see cref="IMessagingEventHandler{TEvent}"/> it implements;
    /// one instance per event when scoped (the default), so it may take scoped services such as a <c>DbContext</c>.
    /// Registering the same handler type again changes nothing.
    /// </summary>
    /// <typeparam name="THandler">The handler type.</typeparam>
    /// <param name="builder">The messaging builder.</param>
    /// <param name="lifetime">The handler's lifetime. The default value is <see cref="ServiceLifetime.Scoped"/>.</param>
    /// <exception cref="ArgumentException"><typeparamref name="THandler"/> implements no <see cref="IMessagingEventHandler{TEvent}"/>.</exception>
    /// <remarks>Handlers run after the change committed, one after another; a handler that throws is logged and skipped.</remarks>
    public static IPatientMessagingBuilder AddEventHandler<THandler>(this IPatientMessagingBuilder builder, ServiceLifetime lifetime = ServiceLifetime.Scoped)
        where THandler : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        var handlerInterfaces = typeof(THandler).GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IMessagingEventHandler<>))
            .ToList();
        if (handlerInterfaces.Count == 0)
        {
            throw new ArgumentException($"{typeof(THandler).Name} implements no IMessagingEventHandler<TEvent>.", nameof(THandler));
        }

        if (builder.Services.Any(d => d.ServiceType == typeof(THandler)))
        {
            return builder;
        }

        builder.Services.TryAdd(ServiceDescriptor.Describe(typeof(THandler), typeof(THandler), lifetime));
        foreach (var handlerInterface in handlerInterfaces)
        {
            // One instance per scope serves every event type the handler implements.
            builder.Services.Add(ServiceDescriptor.Describe(handlerInterface, sp => sp.GetRequiredService<THandler>(), lifetime));
        }

        return builder;
    }
}
