using Messaging.Fhir;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the FHIR R4 export.</summary>
public static class FhirPatientMessagingBuilderExtensions
{
    /// <summary>Adds <see cref="IFhirExportService"/> with <see cref="FhirExportOptions"/> as set elsewhere (their defaults otherwise); the options are validated at start-up.</summary>
    /// <param name="builder">The messaging builder.</param>
    /// <returns>The same builder, to chain more registrations.</returns>
    public static IPatientMessagingBuilder AddFhirExport(this IPatientMessagingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return AddCore(builder, FhirExportOptions.SectionName);
    }

    /// <summary>Adds <see cref="IFhirExportService"/>, setting <see cref="FhirExportOptions"/>; the options are validated at start-up.</summary>
    /// <param name="builder">The messaging builder.</param>
    /// <param name="configure">Sets the identifier systems of the host's patient and staff ids.</param>
    /// <returns>The same builder, to chain more registrations.</returns>
    public static IPatientMessagingBuilder AddFhirExport(this IPatientMessagingBuilder builder, Action<FhirExportOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<FhirExportOptions>().Configure(configure);
        return AddCore(builder, FhirExportOptions.SectionName);
    }

    /// <summary>
    /// Adds <see cref="IFhirExportService"/> with <see cref="FhirExportOptions"/> bound from a configuration section
    /// (e.g. <c>configuration.GetSection("Messaging:Fhir")</c>); the options are validated at start-up.
    /// </summary>
    /// <param name="builder">The messaging builder.</param>
    /// <param name="configuration">The section holding <c>PatientIdentifierSystem</c>, <c>StaffIdentifierSystem</c> and <c>AttachmentBaseUrl</c> (absolute URIs); validation messages name keys under its path.</param>
    /// <returns>The same builder, to chain more registrations.</returns>
    public static IPatientMessagingBuilder AddFhirExport(this IPatientMessagingBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<FhirExportOptions>().Bind(configuration);
        return AddCore(builder, (configuration as IConfigurationSection)?.Path ?? string.Empty);
    }

    private static IPatientMessagingBuilder AddCore(IPatientMessagingBuilder builder, string sectionPath)
    {
        builder.Services.AddOptions<FhirExportOptions>().ValidateOnStart();
        if (!builder.Services.Any(d => d.ServiceType == typeof(IValidateOptions<FhirExportOptions>)))
        {
            builder.Services.AddSingleton<IValidateOptions<FhirExportOptions>>(new FhirExportOptionsValidator(sectionPath));
        }

        builder.Services.TryAddSingleton<IFhirExportService, FhirExportService>();
        return builder;
    }
}
