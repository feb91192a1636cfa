using Messaging.Attachments;
using Microsoft.Extensions.Options;

namespace Messaging;

/// <summary>Limits and lifetimes for attachments (R11), validated at start-up.</summary>
public sealed class AttachmentOptions
{
    /// <summary>The configuration section the host conventionally binds these options from.</summary>
    public const string SectionName = "Messaging:Attachments";

    /// <summary>The largest file accepted, in bytes.</summary>
    /// <value>The default value is 10 MiB.</value>
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>
    /// The media types accepted. For PDF, JPEG and PNG the content must also start with that format's signature, so a
    /// renamed executable is refused.
    /// </summary>
    /// <value>The default value is <c>application/pdf</c>, <c>image/jpeg</c> and <c>image/png</c>.</value>
    /// <remarks>
    /// Bound by <c>AddPatientMessaging(IConfiguration)</c>, a configured list (<c>Messaging:Attachments:AllowedContentTypes</c>)
    /// replaces the default one. A plain <c>ConfigurationBinder.Bind</c> of this class adds to the defaults instead, as
    /// it does for every get-only list.
    /// </remarks>
    public IList<string> AllowedContentTypes { get; } = ["application/pdf", "image/jpeg", "image/png"];

    /// <summary>How long a patient's download link works after the message is sent.</summary>
    /// <value>The default value is 14 days.</value>
    public TimeSpan DownloadLinkLifetime { get; set; } = TimeSpan.FromDays(14);
}

/// <summary>Validates <see cref="AttachmentOptions"/> at start-up, naming each bad setting.</summary>
internal sealed class AttachmentOptionsValidator : IValidateOptions<AttachmentOptions>
{
    public ValidateOptionsResult Validate(string? name, AttachmentOptions options)
    {
        const string Prefix = AttachmentOptions.SectionName + ":";
        var failures = new List<string>();
        if (options.MaxBytes <= 0)
        {
            failures.Add($"{Prefix}MaxBytes must be positive; it is {options.MaxBytes}.");
        }

        if (options.AllowedContentTypes.Count == 0)
        {
            failures.Add($"{Prefix}AllowedContentTypes must list at least one media type.");
        }

        foreach (var type in options.AllowedContentTypes)
        {
            if (AttachmentContent.NormaliseContentType(type) is null)
            {
                failures.Add($"{Prefix}AllowedContentTypes has '{type}', which is not a media type such as application/pdf.");
            }
        }

        if (options.DownloadLinkLifetime <= TimeSpan.Zero)
        {
            failures.Add($"{Prefix}DownloadLinkLifetime must be positive; it is {options.DownloadLinkLifetime}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
