using Microsoft.Extensions.Logging;

namespace Messaging.AspNetCore;

/// <summary>
/// Every log line of the web endpoints, in one place for review: ids, outcomes and provider ids only — never a reply
/// link's token, a phone number or a message body (R22). Event ids 5001+.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(5001, LogLevel.Warning, "Refused a Twilio {Webhook} webhook: its X-Twilio-Signature does not match (forged, or Messaging:PublicBaseUrl is not the URL Twilio calls)")]
    public static partial void TwilioSignatureRefused(ILogger logger, string webhook);

    [LoggerMessage(5002, LogLevel.Information, "Twilio status callback for {ProviderMessageId} ({RawStatus}): {Outcome}")]
    public static partial void TwilioStatusApplied(ILogger logger, string providerMessageId, string rawStatus, DeliveryUpdateOutcome outcome);

    [LoggerMessage(5003, LogLevel.Information, "Twilio status callback for {ProviderMessageId} has status {RawStatus}, which the SDK does not track; ignored")]
    public static partial void TwilioStatusUntracked(ILogger logger, string providerMessageId, string rawStatus);

    [LoggerMessage(5004, LogLevel.Information, "Inbound SMS {ProviderMessageId} to organisation {OrganisationId}: {Keyword}; auto-reply sent: {AutoReplied}")]
    public static partial void InboundSmsHandled(ILogger logger, string providerMessageId, OrganisationId organisationId, InboundKeyword keyword, bool autoReplied);

    [LoggerMessage(5005, LogLevel.Warning, "Refused a Twilio {Webhook} webhook with malformed fields ({ErrorCode}, field {Field})")]
    public static partial void TwilioWebhookMalformed(ILogger logger, string webhook, string errorCode, string? field);

    [LoggerMessage(5006, LogLevel.Warning, "Refused a patient reply form without a valid anti-forgery token; the form was shown again")]
    public static partial void ReplyFormForgeryRefused(ILogger logger);

    [LoggerMessage(5008, LogLevel.Warning, "Refused a Direct Message code form without a valid anti-forgery token; no attempt was counted")]
    public static partial void DirectMessageFormForgeryRefused(ILogger logger);

    [LoggerMessage(5007, LogLevel.Information, "Patient reply {MessageId} recorded through a reply link")]
    public static partial void PatientReplyRecorded(ILogger logger, MessageId messageId);
}
