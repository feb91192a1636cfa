namespace Messaging;

/// <summary>A message staff send to a patient by SMS or email (R6, R10).</summary>
public sealed record SendMessageRequest
{
    /// <summary>The workspace it is sent from.</summary>
    public required WorkspaceId WorkspaceId { get; init; }

    /// <summary><see cref="MessageChannel.Sms"/> or <see cref="MessageChannel.Email"/>.</summary>
    public required MessageChannel Channel { get; init; }

    /// <summary>Continue this conversation (R6); <see langword="null"/> to start a new one with <see cref="PatientId"/>.</summary>
    public ConversationId? ConversationId { get; init; }

    /// <summary>The patient, when starting a new conversation.</summary>
    public PatientId? PatientId { get; init; }

    /// <summary>The text, already rendered. Patient data.</summary>
    public required string Body { get; init; }

    /// <summary>The email subject (email only).</summary>
    public string? Subject { get; init; }

    /// <summary>An HTML body sent with the text one (email only).</summary>
    public string? HtmlBody { get; init; }

    /// <summary>
    /// Allow the patient to reply once through a secure link (R12). The link is added to the text the patient
    /// receives; the stored message keeps the text without it, so the token is never stored in clear.
    /// </summary>
    public bool AllowReply { get; init; }

    /// <summary>
    /// Files uploaded earlier with <see cref="IAttachmentService.UploadAsync"/> to the same workspace (R11). Each reaches
    /// the patient as a download link with its own expiring token, added to the text like the reply link.
    /// </summary>
    public IReadOnlyList<AttachmentId> Attachments { get; init; } = [];

    /// <summary>
    /// The host's idempotency key (R24): the same key with the same content returns the original message instead of
    /// sending again; with different content it is a conflict.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Ids and flags only: the body and subject are patient data (R22).</summary>
    public override string ToString()
        => $"SendMessageRequest {{ WorkspaceId = {WorkspaceId}, Channel = {Channel}, ConversationId = {ConversationId}, PatientId = {PatientId}, AllowReply = {AllowReply}, Attachments = {Attachments.Count} }}";
}

/// <summary>Sending to patients through the transactional outbox (R10, R13, R14, R15, R20, R24).</summary>
/// <remarks>
/// A send validates, checks opt-out, charges credits and writes the message with its outbox record in one unit of
/// work, then returns at once with the message <see cref="DeliveryStatus.Queued"/>; the outbox dispatcher hands it
/// to the provider. A send that is refused writes nothing and costs nothing.
/// </remarks>
public interface IMessageService
{
    /// <summary>Queues a message to a patient.</summary>
    Task<Message> SendAsync(StaffId actor, SendMessageRequest request, CancellationToken cancellationToken = default);

    /// <summary>A conversation's messages, oldest first.</summary>
    Task<IReadOnlyList<Message>> ListAsync(StaffId actor, ConversationId conversationId, CancellationToken cancellationToken = default);
}

/// <summary>What became of a delivery report.</summary>
public enum DeliveryUpdateOutcome
{
    /// <summary>The status moved forward.</summary>
    Applied = 0,

    /// <summary>Nothing changed: a repeat, or a report older than the status the message already has (R13).</summary>
    Ignored = 1,

    /// <summary>No message is known by that provider id.</summary>
    UnknownMessage = 2,
}

/// <summary>Applies providers' delivery reports under R13's forward-only rule; idempotent.</summary>
public interface IDeliveryStatusService
{
    /// <summary>Applies a report.</summary>
    Task<DeliveryUpdateOutcome> ApplyAsync(DeliveryStatusUpdate update, CancellationToken cancellationToken = default);
}

/// <summary>What an inbound SMS meant for opt-out (R14).</summary>
public enum InboundKeyword
{
    /// <summary>Not a keyword.</summary>
    None = 0,

    /// <summary>STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE or OPTOUT: the number is opted out.</summary>
    OptOut = 1,

    /// <summary>START or UNSTOP: the number is opted back in.</summary>
    OptIn = 2,
}

/// <summary>SMS opt-out (R14): inbound keywords and checks.</summary>
public interface IOptOutService
{
    /// <summary>Handles an inbound SMS to the organisation's number: a STOP-like keyword opts the sender out, START or UNSTOP back in.</summary>
    Task<InboundKeyword> HandleInboundAsync(OrganisationId organisationId, InboundSms sms, CancellationToken cancellationToken = default);

    /// <summary>Whether SMS to the number are refused.</summary>
    Task<bool> IsOptedOutAsync(OrganisationId organisationId, PhoneNumber number, CancellationToken cancellationToken = default);
}

/// <summary>SMS credits (R15): an append-only ledger per organisation.</summary>
public interface ICreditService
{
    /// <summary>Adds purchased credits (called by the host once payment is taken).</summary>
    Task<int> PurchaseAsync(OrganisationId organisationId, int credits, string reference, CancellationToken cancellationToken = default);

    /// <summary>The balance.</summary>
    Task<int> GetBalanceAsync(OrganisationId organisationId, CancellationToken cancellationToken = default);

    /// <summary>The ledger, oldest first: the balance can be audited from it.</summary>
    Task<IReadOnlyList<CreditLedgerEntry>> GetLedgerAsync(OrganisationId organisationId, CancellationToken cancellationToken = default);
}

/// <summary>Drains the outbox (R20). The SDK runs it in the background; hosts and tests may also call it directly.</summary>
public interface IOutboxDispatcher
{
    /// <summary>Claims the due entries and hands each to its provider once; returns how many were processed.</summary>
    Task<int> DispatchDueAsync(CancellationToken cancellationToken = default);
}
