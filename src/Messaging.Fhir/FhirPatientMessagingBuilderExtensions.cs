using Messaging.Fhir;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the FHIR R4 export.</summary>
public static class FhirPatientMessagingBuilderExtensions
{
    /// <summary>Adds <see cref="IFhirExportService"/>, optionally setting <see cref="FhirExportOptions"/>.</summary>
    /// <param name="builder">The messaging builder.</param>
    /// <param name="configure">Sets the identifier systems of the host's patient and staff ids.</param>
    public static IPatientMessagingBuilder AddFhirExport(this IPatientMessagingBuilder builder, Action<FhirExportOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<FhirExportOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddSingleton<IFhirExportService, FhirExportService>();
        return builder;
    }
}
