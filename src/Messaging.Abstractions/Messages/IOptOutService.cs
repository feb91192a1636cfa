namespace Messaging;

/// <summary>SMS opt-out (R14): inbound keywords and checks.</summary>
public interface IOptOutService
{
    /// <summary>Handles an inbound SMS to the organisation's number: a STOP-like keyword opts the sender out, START or UNSTOP back in.</summary>
    Task<InboundKeyword> HandleInboundAsync(OrganisationId organisationId, InboundSms sms, CancellationToken cancellationToken = default);

    /// <summary>Whether SMS to the number are refused.</summary>
    Task<bool> IsOptedOutAsync(OrganisationId organisationId, PhoneNumber number, CancellationToken cancellationToken = default);
}
