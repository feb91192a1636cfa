using Messaging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures the wording of the links in patient SMS and email, and the GSM-7 look-alike downgrade.</summary>
public static class PatientLinksPatientMessagingBuilderExtensions
{
    /// <summary>
    /// Overrides the link wording (per language), a workspace's language, or the GSM-7 downgrade; validated at start-up.
    /// For example <c>.ConfigurePatientLinks(o =&gt; o.WorkspaceLanguages["dermatology-cardiff"] = PatientLinkTextOptions.Welsh)</c>.
    /// </summary>
    /// <param name="builder">The patient-messaging builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static IPatientMessagingBuilder ConfigurePatientLinks(this IPatientMessagingBuilder builder, Action<PatientLinkTextOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }
}
