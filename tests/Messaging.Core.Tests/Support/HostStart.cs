using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Messaging.Tests.Support;

/// <summary>Starts a real generic host with the given registrations, as a host application would, and reports start-up validation failures.</summary>
internal static class HostStart
{
    /// <summary>The options validation error start-up raised, or <see langword="null"/> when the host started.</summary>
    public static async Task<OptionsValidationException?> TryAsync(Action<IServiceCollection> register)
    {
        var builder = Host.CreateApplicationBuilder();
        register(builder.Services);
        using var host = builder.Build();
        try
        {
            await host.StartAsync();
            await host.StopAsync();
            return null;
        }
        catch (OptionsValidationException e)
        {
            return e;
        }
    }
}
