using Messaging.Providers.Smtp;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SMTP provider's bounce reader.</summary>
public static class SmtpBounceReaderPatientMessagingBuilderExtensions
{
    /// <summary>
    /// Reads delivery reports (DSN, RFC 3464, and plain bounces) from the bounce mailbox over IMAP and applies them to
    /// the SDK's emails, so an email that bounced ends Undelivered (with its enhanced status code, e.g. <c>5.1.1</c>) and,
    /// with <see cref="SmtpEmailOptions.ReportSuccess"/>, a delivered one Delivered. Off unless registered. Pair it with
    /// <c>.AddSmtpEmail(...)</c> whose <see cref="SmtpEmailOptions.ReturnPath"/> is this mailbox. Options are validated at start-up.
    /// </summary>
    /// <param name="builder">The messaging builder from <c>AddPatientMessaging()</c>.</param>
    /// <param name="configure">Sets the mailbox, e.g. <c>o =&gt; { o.Host = "imap.example.org"; o.UserName = "bounces@example.org"; … }</c>.</param>
    /// <returns>The same builder.</returns>
    public static IPatientMessagingBuilder AddSmtpBounceReader(this IPatientMessagingBuilder builder, Action<SmtpBounceReaderOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<SmtpBounceReaderOptions>().Configure(configure).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SmtpBounceReaderOptions>, SmtpBounceReaderOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<SmtpBounceReader>();
        builder.Services.AddHostedService(static sp => sp.GetRequiredService<SmtpBounceReader>());
        return builder;
    }
}
