using Messaging.Events;
using Messaging.Storage;
using Microsoft.Extensions.Logging;
using NodaTime;
using static Messaging.Audit.Audit;

namespace Messaging.Sending;

/// <summary>R14: STOP-like keywords (any case) opt a number out; START or UNSTOP opt it back in.</summary>
internal sealed class OptOutService(IMessagingStore store, IClock clock, MessagingEventPublisher events, ILogger<OptOutService> logger) : IOptOutService
{
    private static readonly HashSet<string> OptOutWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT",
    };

    private static readonly HashSet<string> OptInWords = new(StringComparer.OrdinalIgnoreCase) { "START", "UNSTOP" };

    /// <summary>The keyword a body is, if it is one: the whole text, trimmed, ignoring case and trailing punctuation.</summary>
    internal static InboundKeyword Classify(string body)
    {
        var word = body.Trim().TrimEnd('.', '!');
        return OptOutWords.Contains(word) ? InboundKeyword.OptOut
            : OptInWords.Contains(word) ? InboundKeyword.OptIn
            : InboundKeyword.None;
    }

    public async Task<InboundKeyword> HandleInboundAsync(OrganisationId organisationId, InboundSms sms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sms);
        var keyword = Classify(sms.Body);
        if (keyword != InboundKeyword.None)
        {
            await SetAsync(organisationId, sms.From, keyword == InboundKeyword.OptOut, $"keyword:{sms.Body.Trim().ToUpperInvariant()}", refused: null, cancellationToken).ConfigureAwait(false);
        }

        return keyword;
    }

    public async Task<bool> IsOptedOutAsync(OrganisationId organisationId, PhoneNumber number, CancellationToken cancellationToken = default)
        => (await store.GetOptOutAsync(organisationId, number, cancellationToken).ConfigureAwait(false))?.OptedOut == true;

    /// <summary>Records an opt-out or opt-in, and audits it without the number; <paramref name="refused"/> is the message a provider refused, if that is the cause.</summary>
    internal async Task SetAsync(OrganisationId organisationId, PhoneNumber number, bool optedOut, string source, Message? refused, CancellationToken cancellationToken)
    {
        var state = new OptOutState(organisationId, number, optedOut, clock.GetCurrentInstant(), source);
        await store.WriteAsync(
            work =>
            {
                work.SetOptOut(state);
                work.AppendAudit(Event(clock, organisationId, null, AuditActor.System, AuditAction.OptOutChanged, details: new Dictionary<string, string> { ["optedOut"] = optedOut ? "true" : "false", ["source"] = source }));
            },
            cancellationToken).ConfigureAwait(false);
        Log.OptOutChanged(logger, organisationId, optedOut, source);
        await events.PublishAsync(new OptOutChanged(organisationId, optedOut, source, refused?.PatientId, refused?.Id, state.ChangedAt), cancellationToken).ConfigureAwait(false);
    }
}
