using Microsoft.Extensions.Logging;

namespace Messaging.AspNetCore;

/// <summary>
/// Every log line of the web endpoints, in one place for review: ids, outcomes and provider ids only — never a reply
/// link's token, a phone number or a message body (R22). Event ids 5001+.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(5001, LogLevel.Warning, "Refused a {Provider} {Webhook} webhook: it did not authenticate (forged, or Messaging:PublicBaseUrl is not the URL the provider calls)")]
    public static partial void WebhookRefused(ILogger logger, string provider, ProviderWebhookKind webhook);

    [LoggerMessage(5002, LogLevel.Information, "{Provider} status report for {ProviderMessageId} ({RawStatus}): {Outcome}")]
    public static partial void StatusApplied(ILogger logger, string provider, string providerMessageId, string rawStatus, DeliveryUpdateOutcome outcome);

    [LoggerMessage(5003, LogLevel.Warning, "Refused a {Provider} inbound text to organisation {OrganisationId} with 404: no such organisation (check the number's webhook URL)")]
    public static partial void InboundForUnknownOrganisation(ILogger logger, string provider, OrganisationId organisationId);

    [LoggerMessage(5004, LogLevel.Information, "{Provider} inbound text {ProviderMessageId} to organisation {OrganisationId}: {Keyword}; auto-reply sent: {AutoReplied}")]
    public static partial void InboundSmsHandled(ILogger logger, string provider, string providerMessageId, OrganisationId organisationId, InboundKeyword keyword, bool autoReplied);

    [LoggerMessage(5005, LogLevel.Warning, "Refused a {Provider} {Webhook} webhook with malformed fields ({ErrorCode}, field {Field})")]
    public static partial void WebhookMalformed(ILogger logger, string provider, ProviderWebhookKind webhook, string errorCode, string? field);

    [LoggerMessage(5009, LogLevel.Warning, "A {Provider} webhook used the deprecated path {Route}; configure the provider with the sms/{Provider}/... route instead, as the old path will be removed")]
    public static partial void DeprecatedWebhookPath(ILogger logger, string provider, string route);

    [LoggerMessage(5006, LogLevel.Warning, "Refused a patient reply form without a valid anti-forgery token; the form was shown again")]
    public static partial void ReplyFormForgeryRefused(ILogger logger);

    [LoggerMessage(5008, LogLevel.Warning, "Refused a Direct Message code form without a valid anti-forgery token; no attempt was counted")]
    public static partial void DirectMessageFormForgeryRefused(ILogger logger);

    [LoggerMessage(5007, LogLevel.Information, "Patient reply {MessageId} recorded through a reply link")]
    public static partial void PatientReplyRecorded(ILogger logger, MessageId messageId);

    [LoggerMessage(5010, LogLevel.Warning, "Refused a patient page request over its link's or client's rate limit (429)")]
    public static partial void PatientPageRateLimited(ILogger logger);

    [LoggerMessage(5011, LogLevel.Warning, "Refused a webhook request over its client's rate limit (429)")]
    public static partial void WebhookRateLimited(ILogger logger);
}
