namespace Messaging.Providers.NhsNotify.Sending;

/// <summary>
/// <see cref="IEmailProvider"/> over NHS Notify: the email routing plan (by default the global email-only plan
/// <c>…0002</c>) with personalisation <c>email_subject</c> and <c>email_body</c> (the text body; NHS Notify renders it in
/// its own NHS-branded template, so <see cref="EmailSendRequest.HtmlBody"/> is not sent) and the address as
/// <c>recipient.contactDetails.email</c>.
/// </summary>
internal sealed class NhsNotifyEmailProvider(NhsNotifySender sender) : IEmailProvider
{
    /// <summary>NHS Notify's limit for an email's body (the guide's character limits).</summary>
    public const int MaxBodyLength = 100_000;

    public string Name => sender.Name;

    public Task<ProviderSendResult> SendAsync(EmailSendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.IdempotencyKey, nameof(request));
        if (request.TextBody.Length > MaxBodyLength)
        {
            return Task.FromResult(ProviderSendResult.Permanent("body_too_long", $"NHS Notify sends emails of at most {MaxBodyLength} characters; this one has {request.TextBody.Length}."));
        }

        return sender.SendAsync(
            "email",
            sender.Current.EmailRoutingPlanId,
            request.IdempotencyKey,
            new ContactDetails { Email = request.To.Value },
            new Dictionary<string, string>(2, StringComparer.Ordinal)
            {
                ["email_subject"] = request.Subject,
                ["email_body"] = request.TextBody,
            },
            cancellationToken);
    }
}
