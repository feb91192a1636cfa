namespace Messaging.Providers.NhsNotify.Sending;

/// <summary>
/// <see cref="ISmsProvider"/> over NHS Notify: the SMS routing plan (by default the global SMS-only plan
/// <c>…0003</c>) with personalisation <c>sms_body</c> and the number as <c>recipient.contactDetails.sms</c>.
/// </summary>
internal sealed class NhsNotifySmsProvider(NhsNotifySender sender) : ISmsProvider
{
    /// <summary>NHS Notify's limit for a text message's body (the guide's character limits).</summary>
    public const int MaxBodyLength = 918;

    public string Name => sender.Name;

    public Task<ProviderSendResult> SendAsync(SmsSendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.IdempotencyKey, nameof(request));
        if (request.Body.Length > MaxBodyLength)
        {
            return Task.FromResult(ProviderSendResult.Permanent("body_too_long", $"NHS Notify sends text messages of at most {MaxBodyLength} characters; this one has {request.Body.Length}."));
        }

        return sender.SendAsync(
            "sms",
            sender.Current.SmsRoutingPlanId,
            request.IdempotencyKey,
            new ContactDetails { Sms = request.To.Value },
            new Dictionary<string, string>(1, StringComparer.Ordinal) { ["sms_body"] = request.Body },
            cancellationToken);
    }
}
