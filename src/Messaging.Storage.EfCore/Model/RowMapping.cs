using System.Text.Json;
using NodaTime;

namespace Messaging.Storage.EfCore.Model;

/// <summary>Converts between the SDK's records and the rows.</summary>
internal static class RowMapping
{
    // ---- Time ---------------------------------------------------------------------------------------------------

    /// <summary>An instant as a UTC DateTime truncated to whole microseconds, so both databases keep it exactly.</summary>
    public static DateTime ToUtc(Instant instant)
    {
        var ticks = instant.ToDateTimeUtc().Ticks;
        return new DateTime(ticks - (ticks % 10), DateTimeKind.Utc);
    }

    public static DateTime? ToUtc(Instant? instant) => instant is { } i ? ToUtc(i) : null;

    /// <summary>SQLite hands back DateTimes of unspecified kind; they were written as UTC.</summary>
    public static Instant ToInstant(DateTime value) => Instant.FromDateTimeUtc(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    public static Instant? ToInstant(DateTime? value) => value is { } v ? ToInstant(v) : null;

    // ---- Workspaces ---------------------------------------------------------------------------------------------

    public static OrganisationRow ToRow(Organisation o) => new() { Id = o.Id.Value, Name = o.Name, DefaultWorkspaceId = o.DefaultWorkspaceId.Value, CreatedAt = ToUtc(o.CreatedAt) };

    public static Organisation ToRecord(OrganisationRow r) => new(new OrganisationId(r.Id), r.Name, new WorkspaceId(r.DefaultWorkspaceId), ToInstant(r.CreatedAt));

    public static WorkspaceRow ToRow(Workspace w) => new()
    {
        Id = w.Id.Value, OrganisationId = w.OrganisationId.Value, Name = w.Name, Kind = w.Kind, HasSharedInbox = w.HasSharedInbox, CreatedAt = ToUtc(w.CreatedAt),
    };

    public static Workspace ToRecord(WorkspaceRow r) => new(new WorkspaceId(r.Id), new OrganisationId(r.OrganisationId), r.Name, r.Kind, r.HasSharedInbox, ToInstant(r.CreatedAt));

    public static MemberRow ToRow(WorkspaceMember m) => new()
    {
        WorkspaceId = m.WorkspaceId.Value, StaffId = m.StaffId.Value, Email = m.Email.Value, DisplayName = m.DisplayName, Role = m.Role, AddedAt = ToUtc(m.AddedAt),
    };

    public static WorkspaceMember ToRecord(MemberRow r)
        => new(new WorkspaceId(r.WorkspaceId), new StaffId(r.StaffId), EmailAddress.Parse(r.Email), r.DisplayName, r.Role, ToInstant(r.AddedAt));

    public static TeamRow ToRow(Team t) => new()
    {
        WorkspaceId = t.WorkspaceId.Value,
        Id = t.Id.Value,
        Name = t.Name,
        CreatedAt = ToUtc(t.CreatedAt),
        Members = [.. t.Members.Distinct().Select((m, i) => new TeamMemberRow { WorkspaceId = t.WorkspaceId.Value, TeamId = t.Id.Value, StaffId = m.Value, Position = i })],
    };

    public static Team ToRecord(TeamRow r)
        => new(new TeamId(r.Id), new WorkspaceId(r.WorkspaceId), r.Name, [.. r.Members.OrderBy(m => m.Position).Select(m => new StaffId(m.StaffId))], ToInstant(r.CreatedAt));

    // ---- Patients -----------------------------------------------------------------------------------------------

    public static PatientRow ToRow(Patient p) => new()
    {
        OrganisationId = p.OrganisationId.Value,
        Id = p.Id.Value,
        NhsNumber = p.NhsNumber?.Value,
        DateOfBirth = new DateOnly(p.DateOfBirth.Year, p.DateOfBirth.Month, p.DateOfBirth.Day),
        GivenName = p.GivenName,
        FamilyName = p.FamilyName,
        Mobile = p.Mobile?.Value,
        Email = p.Email?.Value,
        UpdatedAt = ToUtc(p.UpdatedAt),
    };

    public static Patient ToRecord(PatientRow r) => new()
    {
        OrganisationId = new OrganisationId(r.OrganisationId),
        Id = new PatientId(r.Id),
        NhsNumber = r.NhsNumber is null ? null : NhsNumber.Parse(r.NhsNumber),
        DateOfBirth = new LocalDate(r.DateOfBirth.Year, r.DateOfBirth.Month, r.DateOfBirth.Day),
        GivenName = r.GivenName,
        FamilyName = r.FamilyName,
        Mobile = r.Mobile is null ? null : PhoneNumber.FromE164(r.Mobile),
        Email = r.Email is null ? null : EmailAddress.Parse(r.Email),
        UpdatedAt = ToInstant(r.UpdatedAt),
    };

    // ---- Conversations ------------------------------------------------------------------------------------------

    public static ConversationRow ToRow(Conversation c) => new()
    {
        Id = c.Id.Value,
        OrganisationId = c.OrganisationId.Value,
        WorkspaceId = c.WorkspaceId.Value,
        PatientId = c.PatientId.Value,
        StartedBy = c.StartedBy.Value,
        AssigneeKind = c.Assignee.Kind,
        AssigneeId = c.Assignee.Id,
        Status = c.Status,
        Subject = c.Subject,
        Participants = JsonSerializer.Serialize(c.Participants.Select(p => p.Value).Distinct().ToArray()),
        CreatedAt = ToUtc(c.CreatedAt),
        LastActivityAt = ToUtc(c.LastActivityAt),
        ActivitySequence = c.ActivitySequence,
        Version = c.Version,
    };

    public static IEnumerable<ParticipantRow> ParticipantsOf(ConversationRow c)
        => ReadParticipants(c.Participants).Select(p => new ParticipantRow
        {
            ConversationId = c.Id, StaffId = p, WorkspaceId = c.WorkspaceId, Status = c.Status, LastActivityAt = c.LastActivityAt,
        });

    public static Conversation ToRecord(ConversationColumns r) => new()
    {
        Id = new ConversationId(r.Id),
        OrganisationId = new OrganisationId(r.OrganisationId),
        WorkspaceId = new WorkspaceId(r.WorkspaceId),
        PatientId = new PatientId(r.PatientId),
        StartedBy = new StaffId(r.StartedBy),
        Assignee = ToAssignee(r.AssigneeKind, r.AssigneeId),
        Status = r.Status,
        Subject = r.Subject,
        Participants = [.. ReadParticipants(r.Participants).Select(p => new StaffId(p))],
        CreatedAt = ToInstant(r.CreatedAt),
        LastActivityAt = ToInstant(r.LastActivityAt),
        ActivitySequence = r.ActivitySequence,
        Version = r.Version,
    };

    public static InboxItem ToItem(InboxRow r) => new(ToRecord(r), r.IsUnread);

    public static IReadOnlyList<string> ReadParticipants(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];

    public static AssignmentRow ToRow(Assignment a) => new()
    {
        ConversationId = a.ConversationId.Value,
        Sequence = a.Sequence,
        AssignedToKind = a.AssignedTo.Kind,
        AssignedToId = a.AssignedTo.Id,
        PreviousAssigneeKind = a.PreviousAssignee?.Kind,
        PreviousAssigneeId = a.PreviousAssignee?.Id,
        AssignedBy = a.AssignedBy.Value,
        AssignedAt = ToUtc(a.AssignedAt),
    };

    public static Assignment ToRecord(AssignmentRow r) => new(
        new ConversationId(r.ConversationId),
        r.Sequence,
        ToAssignee(r.AssignedToKind, r.AssignedToId),
        r is { PreviousAssigneeKind: { } kind, PreviousAssigneeId: { } id } ? ToAssignee(kind, id) : null,
        new StaffId(r.AssignedBy),
        ToInstant(r.AssignedAt));

    public static ReadPosition ToRecord(ReadPositionRow r) => new(new ConversationId(r.ConversationId), new StaffId(r.StaffId), r.ReadUpTo, r.MarkedUnread);

    private static Assignee ToAssignee(AssigneeKind kind, string id)
        => kind == AssigneeKind.Team ? Assignee.Team(new TeamId(id)) : Assignee.Staff(new StaffId(id));

    // ---- Messages -----------------------------------------------------------------------------------------------

    public static MessageRow ToRow(Message m) => new()
    {
        Id = m.Id.Value,
        OrganisationId = m.OrganisationId.Value,
        WorkspaceId = m.WorkspaceId.Value,
        ConversationId = m.ConversationId.Value,
        PatientId = m.PatientId.Value,
        Channel = m.Channel.Value,
        Direction = m.Direction,
        SentBy = m.SentBy?.Value,
        Recipient = m.Recipient,
        Subject = m.Subject,
        Body = m.Body,
        HtmlBody = m.HtmlBody,
        InReplyTo = m.InReplyTo?.Value,
        DirectMessageId = m.DirectMessageId?.Value,
        AllowReply = m.AllowReply,
        Status = m.Status,
        Segments = m.Segments,
        Credits = m.Credits,
        IdempotencyKey = m.IdempotencyKey,
        ContentHash = m.ContentHash,
        ProviderName = m.ProviderName,
        ProviderMessageId = m.ProviderMessageId,
        ProviderStatus = m.ProviderStatus,
        ErrorCode = m.ErrorCode,
        Attachments = JsonSerializer.Serialize(m.Attachments.Select(a => a.Value).ToArray()),
        CreatedAt = ToUtc(m.CreatedAt),
        UpdatedAt = ToUtc(m.UpdatedAt),
        Version = m.Version,
    };

    public static Message ToRecord(MessageRow r) => new()
    {
        Id = new MessageId(r.Id),
        OrganisationId = new OrganisationId(r.OrganisationId),
        WorkspaceId = new WorkspaceId(r.WorkspaceId),
        ConversationId = new ConversationId(r.ConversationId),
        PatientId = new PatientId(r.PatientId),
        Channel = new MessageChannel(r.Channel),
        Direction = r.Direction,
        SentBy = r.SentBy is null ? null : new StaffId(r.SentBy),
        Recipient = r.Recipient,
        Subject = r.Subject,
        Body = r.Body,
        HtmlBody = r.HtmlBody,
        InReplyTo = r.InReplyTo is { } inReplyTo ? new MessageId(inReplyTo) : null,
        DirectMessageId = r.DirectMessageId is { } directMessage ? new DirectMessageId(directMessage) : null,
        AllowReply = r.AllowReply,
        Status = r.Status,
        Segments = r.Segments,
        Credits = r.Credits,
        IdempotencyKey = r.IdempotencyKey,
        ContentHash = r.ContentHash,
        ProviderName = r.ProviderName,
        ProviderMessageId = r.ProviderMessageId,
        ProviderStatus = r.ProviderStatus,
        ErrorCode = r.ErrorCode,
        Attachments = ReadAttachments(r.Attachments),
        CreatedAt = ToInstant(r.CreatedAt),
        UpdatedAt = ToInstant(r.UpdatedAt),
        Version = r.Version,
    };

    /// <summary>No attachments read as the shared empty list, as a new message carries.</summary>
    private static IReadOnlyList<AttachmentId> ReadAttachments(string json)
        => JsonSerializer.Deserialize<Guid[]>(json) is { Length: > 0 } ids ? [.. ids.Select(id => new AttachmentId(id))] : [];

    public static OutboxRow ToRow(OutboxEntry e) => new()
    {
        MessageId = e.MessageId.Value, Attempts = e.Attempts, NextAttemptAt = ToUtc(e.NextAttemptAt), LeaseOwner = e.LeaseOwner, LeaseExpiresAt = ToUtc(e.LeaseExpiresAt),
    };

    public static OutboxEntry ToRecord(OutboxRow r)
        => new(new MessageId(r.MessageId), r.Attempts, ToInstant(r.NextAttemptAt), r.LeaseOwner, ToInstant(r.LeaseExpiresAt));

    public static OptOutState ToRecord(OptOutRow r)
        => new(new OrganisationId(r.OrganisationId), PhoneNumber.FromE164(r.Number), r.OptedOut, ToInstant(r.ChangedAt), r.Source);

    // ---- Credits, tokens, audit ---------------------------------------------------------------------------------

    public static CreditEntryRow ToRow(CreditLedgerEntry e) => new()
    {
        Id = e.Id, OrganisationId = e.OrganisationId.Value, Kind = e.Kind, Amount = e.Amount, MessageId = e.MessageId?.Value, At = ToUtc(e.At), Reference = e.Reference,
    };

    public static CreditLedgerEntry ToRecord(CreditEntryRow r)
        => new(r.Id, new OrganisationId(r.OrganisationId), r.Kind, r.Amount, r.MessageId is { } m ? new MessageId(m) : null, ToInstant(r.At), r.Reference);

    public static CreditLedgerLine ToLine(CreditEntryRow r) => new(ToRecord(r), r.BalanceAfter);

    public static ReplyTokenRow ToRow(ReplyToken t) => new()
    {
        TokenHash = t.TokenHash,
        OrganisationId = t.OrganisationId.Value,
        ConversationId = t.ConversationId.Value,
        MessageId = t.MessageId.Value,
        PatientId = t.PatientId.Value,
        IssuedAt = ToUtc(t.IssuedAt),
        ExpiresAt = ToUtc(t.ExpiresAt),
        State = t.State,
        UsedAt = ToUtc(t.UsedAt),
    };

    public static ReplyToken ToRecord(ReplyTokenRow r) => new()
    {
        TokenHash = r.TokenHash,
        OrganisationId = new OrganisationId(r.OrganisationId),
        ConversationId = new ConversationId(r.ConversationId),
        MessageId = new MessageId(r.MessageId),
        PatientId = new PatientId(r.PatientId),
        IssuedAt = ToInstant(r.IssuedAt),
        ExpiresAt = ToInstant(r.ExpiresAt),
        State = r.State,
        UsedAt = ToInstant(r.UsedAt),
    };

    public static AuditEventRow ToRow(AuditEvent e) => new()
    {
        Id = e.Id,
        OccurredAt = ToUtc(e.OccurredAt),
        OrganisationId = e.OrganisationId.Value,
        WorkspaceId = e.WorkspaceId?.Value,
        ActorKind = e.Actor.Kind,
        ActorId = e.Actor.Id,
        Action = e.Action.Value,
        PatientId = e.PatientId?.Value,
        TargetId = e.TargetId,
        Details = e.Details is null ? null : JsonSerializer.Serialize(e.Details),
    };

    public static AuditEvent ToRecord(AuditEventRow r) => new()
    {
        Id = r.Id,
        OccurredAt = ToInstant(r.OccurredAt),
        OrganisationId = new OrganisationId(r.OrganisationId),
        WorkspaceId = r.WorkspaceId is null ? null : new WorkspaceId(r.WorkspaceId),
        Actor = new AuditActor(r.ActorKind, r.ActorId),
        Action = new AuditAction(r.Action),
        PatientId = r.PatientId is null ? null : new PatientId(r.PatientId),
        TargetId = r.TargetId,
        Details = r.Details is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(r.Details),
    };

    // ---- Notifications, attachments, templates ------------------------------------------------------------------

    public static NotificationRow ToRow(Notification n) => new()
    {
        Id = n.Id.Value,
        OrganisationId = n.OrganisationId.Value,
        WorkspaceId = n.WorkspaceId.Value,
        Recipient = n.Recipient.Value,
        Kind = n.Kind.Value,
        ConversationId = n.ConversationId?.Value,
        MessageId = n.MessageId?.Value,
        CreatedAt = ToUtc(n.CreatedAt),
        ReadAt = ToUtc(n.ReadAt),
    };

    public static Notification ToRecord(NotificationRow r) => new()
    {
        Id = new NotificationId(r.Id),
        OrganisationId = new OrganisationId(r.OrganisationId),
        WorkspaceId = new WorkspaceId(r.WorkspaceId),
        Recipient = new StaffId(r.Recipient),
        Kind = new NotificationKind(r.Kind),
        ConversationId = r.ConversationId is { } c ? new ConversationId(c) : null,
        MessageId = r.MessageId is { } m ? new MessageId(m) : null,
        CreatedAt = ToInstant(r.CreatedAt),
        ReadAt = ToInstant(r.ReadAt),
    };

    public static AttachmentRow ToRow(Attachment a) => new()
    {
        Id = a.Id.Value,
        OrganisationId = a.OrganisationId.Value,
        WorkspaceId = a.WorkspaceId.Value,
        FileName = a.FileName,
        ContentType = a.ContentType,
        Length = a.Length,
        Sha256 = a.Sha256,
        UploadedBy = a.UploadedBy?.Value,
        UploadedByPatient = a.UploadedByPatient?.Value,
        CreatedAt = ToUtc(a.CreatedAt),
    };

    public static Attachment ToRecord(AttachmentRow r) => new()
    {
        Id = new AttachmentId(r.Id),
        OrganisationId = new OrganisationId(r.OrganisationId),
        WorkspaceId = new WorkspaceId(r.WorkspaceId),
        FileName = r.FileName,
        ContentType = r.ContentType,
        Length = r.Length,
        Sha256 = r.Sha256,
        UploadedBy = r.UploadedBy is null ? null : new StaffId(r.UploadedBy),
        UploadedByPatient = r.UploadedByPatient is null ? null : new PatientId(r.UploadedByPatient),
        CreatedAt = ToInstant(r.CreatedAt),
    };

    public static AttachmentLinkRow ToRow(AttachmentLink l) => new()
    {
        TokenHash = l.TokenHash,
        AttachmentId = l.AttachmentId.Value,
        MessageId = l.MessageId.Value,
        OrganisationId = l.OrganisationId.Value,
        IssuedAt = ToUtc(l.IssuedAt),
        ExpiresAt = ToUtc(l.ExpiresAt),
    };

    public static AttachmentLink ToRecord(AttachmentLinkRow r) => new()
    {
        TokenHash = r.TokenHash,
        AttachmentId = new AttachmentId(r.AttachmentId),
        MessageId = new MessageId(r.MessageId),
        OrganisationId = new OrganisationId(r.OrganisationId),
        IssuedAt = ToInstant(r.IssuedAt),
        ExpiresAt = ToInstant(r.ExpiresAt),
    };

    public static TemplateRow ToRow(MessageTemplate t) => new()
    {
        Id = t.Id.Value,
        WorkspaceId = t.WorkspaceId.Value,
        Owner = t.Owner.Value,
        Name = t.Name,
        NameKey = t.NameKey,
        Body = t.Body,
        HtmlBody = t.HtmlBody,
        IsShared = t.IsShared,
        Version = t.Version,
        CreatedAt = ToUtc(t.CreatedAt),
        UpdatedAt = ToUtc(t.UpdatedAt),
        UpdatedBy = t.UpdatedBy.Value,
    };

    public static MessageTemplate ToRecord(TemplateRow r) => new()
    {
        Id = new TemplateId(r.Id),
        WorkspaceId = new WorkspaceId(r.WorkspaceId),
        Owner = new StaffId(r.Owner),
        Name = r.Name,
        Body = r.Body,
        HtmlBody = r.HtmlBody,
        IsShared = r.IsShared,
        Version = r.Version,
        CreatedAt = ToInstant(r.CreatedAt),
        UpdatedAt = ToInstant(r.UpdatedAt),
        UpdatedBy = new StaffId(r.UpdatedBy),
    };

    // ---- Direct Messages and internal messages ------------------------------------------------------------------

    public static DirectMessageRow ToRow(DirectMessage d) => new()
    {
        Id = d.Id.Value,
        OrganisationId = d.OrganisationId.Value,
        WorkspaceId = d.WorkspaceId.Value,
        ConversationId = d.ConversationId.Value,
        PatientId = d.PatientId.Value,
        SentBy = d.SentBy.Value,
        Subject = d.Subject,
        Body = d.Body,
        Attachments = JsonSerializer.Serialize(d.Attachments.Select(a => a.Value).ToArray()),
        EmailMessageId = d.EmailMessageId.Value,
        SmsMessageId = d.SmsMessageId.Value,
        LinkTokenHash = d.LinkTokenHash,
        LinkExpiresAt = ToUtc(d.LinkExpiresAt),
        AccessCodeHash = d.AccessCodeHash,
        AccessCodeExpiresAt = ToUtc(d.AccessCodeExpiresAt),
        FailedAttempts = d.FailedAttempts,
        LockedAt = ToUtc(d.LockedAt),
        FirstUnlockedAt = ToUtc(d.FirstUnlockedAt),
        CreatedAt = ToUtc(d.CreatedAt),
        UpdatedAt = ToUtc(d.UpdatedAt),
        Version = d.Version,
    };

    public static DirectMessage ToRecord(DirectMessageRow r) => new()
    {
        Id = new DirectMessageId(r.Id),
        OrganisationId = new OrganisationId(r.OrganisationId),
        WorkspaceId = new WorkspaceId(r.WorkspaceId),
        ConversationId = new ConversationId(r.ConversationId),
        PatientId = new PatientId(r.PatientId),
        SentBy = new StaffId(r.SentBy),
        Subject = r.Subject,
        Body = r.Body,
        Attachments = ReadAttachments(r.Attachments),
        EmailMessageId = new MessageId(r.EmailMessageId),
        SmsMessageId = new MessageId(r.SmsMessageId),
        LinkTokenHash = r.LinkTokenHash,
        LinkExpiresAt = ToInstant(r.LinkExpiresAt),
        AccessCodeHash = r.AccessCodeHash,
        AccessCodeExpiresAt = ToInstant(r.AccessCodeExpiresAt),
        FailedAttempts = r.FailedAttempts,
        LockedAt = ToInstant(r.LockedAt),
        FirstUnlockedAt = ToInstant(r.FirstUnlockedAt),
        CreatedAt = ToInstant(r.CreatedAt),
        UpdatedAt = ToInstant(r.UpdatedAt),
        Version = r.Version,
    };

    public static InternalThreadRow ToRow(InternalThread t) => new()
    {
        Id = t.Id.Value,
        OrganisationId = t.OrganisationId.Value,
        WorkspaceId = t.WorkspaceId.Value,
        PatientId = t.PatientId?.Value,
        Subject = t.Subject,
        StartedBy = t.StartedBy.Value,
        Participants = JsonSerializer.Serialize(t.Participants.Select(p => p.Value).Distinct().ToArray()),
        CreatedAt = ToUtc(t.CreatedAt),
        LastActivityAt = ToUtc(t.LastActivityAt),
        Version = t.Version,
    };

    public static IEnumerable<InternalThreadParticipantRow> ParticipantsOf(InternalThreadRow t)
        => ReadParticipants(t.Participants).Select(p => new InternalThreadParticipantRow { ThreadId = t.Id, StaffId = p, WorkspaceId = t.WorkspaceId, LastActivityAt = t.LastActivityAt });

    public static InternalThread ToRecord(InternalThreadRow r) => new()
    {
        Id = new ConversationId(r.Id),
        OrganisationId = new OrganisationId(r.OrganisationId),
        WorkspaceId = new WorkspaceId(r.WorkspaceId),
        PatientId = r.PatientId is null ? null : new PatientId(r.PatientId),
        Subject = r.Subject,
        StartedBy = new StaffId(r.StartedBy),
        Participants = [.. ReadParticipants(r.Participants).Select(p => new StaffId(p))],
        CreatedAt = ToInstant(r.CreatedAt),
        LastActivityAt = ToInstant(r.LastActivityAt),
        Version = r.Version,
    };

    public static InternalMessageRow ToRow(InternalMessage m) => new()
    {
        Id = m.Id.Value,
        ThreadId = m.ThreadId.Value,
        OrganisationId = m.OrganisationId.Value,
        WorkspaceId = m.WorkspaceId.Value,
        SentBy = m.SentBy.Value,
        Body = m.Body,
        CreatedAt = ToUtc(m.CreatedAt),
    };

    public static InternalMessage ToRecord(InternalMessageRow r) => new()
    {
        Id = new MessageId(r.Id),
        ThreadId = new ConversationId(r.ThreadId),
        OrganisationId = new OrganisationId(r.OrganisationId),
        WorkspaceId = new WorkspaceId(r.WorkspaceId),
        SentBy = new StaffId(r.SentBy),
        Body = r.Body,
        CreatedAt = ToInstant(r.CreatedAt),
    };
}
