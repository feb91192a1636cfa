namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Returned by <c>services.AddPatientMessaging()</c>. Provider and storage packages add extension methods to it
/// (<c>.AddTwilioSms()</c>, <c>.AddSmtpEmail()</c>, <c>.AddEntityFrameworkStore()</c>), so registration chains.
/// </summary>
public interface IPatientMessagingBuilder
{
    /// <summary>The service collection the SDK is being registered in.</summary>
    IServiceCollection Services { get; }
}
