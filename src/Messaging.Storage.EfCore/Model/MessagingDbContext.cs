using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Messaging.Storage.EfCore.Model;

/// <summary>
/// The SDK's schema. Tables and columns are snake_case and named for what they hold; every key and index is named
/// explicitly. Two provider-specific subclasses carry the SQLite and PostgreSQL migrations.
/// </summary>
/// <remarks>
/// Indexes exist for each query the store runs: the inbox views (assignee, "sent by" through
/// <c>conversation_participants</c>, and "all"), each with and without the status filter, all ending in
/// <c>(last_activity_at, id)</c> so a page is a bounded index range scan; outbox claiming by due time; reply tokens
/// by hash and by conversation; messages by idempotency key and by provider id; the audit trail by organisation,
/// patient, target and action.
/// </remarks>
internal abstract class MessagingDbContext(DbContextOptions options) : DbContext(options)
{
    public const int IdLength = 128;

    public DbSet<OrganisationRow> Organisations => Set<OrganisationRow>();
    public DbSet<WorkspaceRow> Workspaces => Set<WorkspaceRow>();
    public DbSet<MemberRow> Members => Set<MemberRow>();
    public DbSet<TeamRow> Teams => Set<TeamRow>();
    public DbSet<TeamMemberRow> TeamMembers => Set<TeamMemberRow>();
    public DbSet<PatientRow> Patients => Set<PatientRow>();
    public DbSet<ConversationRow> Conversations => Set<ConversationRow>();
    public DbSet<ParticipantRow> Participants => Set<ParticipantRow>();
    public DbSet<AssignmentRow> Assignments => Set<AssignmentRow>();
    public DbSet<ReadPositionRow> ReadPositions => Set<ReadPositionRow>();
    public DbSet<MessageRow> Messages => Set<MessageRow>();
    public DbSet<OutboxRow> Outbox => Set<OutboxRow>();
    public DbSet<CreditEntryRow> CreditLedger => Set<CreditEntryRow>();
    public DbSet<CreditBalanceRow> CreditBalances => Set<CreditBalanceRow>();
    public DbSet<ReplyTokenRow> ReplyTokens => Set<ReplyTokenRow>();
    public DbSet<OptOutRow> OptOuts => Set<OptOutRow>();
    public DbSet<AuditEventRow> AuditEvents => Set<AuditEventRow>();
    public DbSet<NotificationRow> Notifications => Set<NotificationRow>();
    public DbSet<AttachmentRow> Attachments => Set<AttachmentRow>();
    public DbSet<AttachmentLinkRow> AttachmentLinks => Set<AttachmentLinkRow>();
    public DbSet<TemplateRow> Templates => Set<TemplateRow>();
    public DbSet<DirectMessageRow> DirectMessages => Set<DirectMessageRow>();
    public DbSet<InternalThreadRow> InternalThreads => Set<InternalThreadRow>();
    public DbSet<InternalThreadParticipantRow> InternalThreadParticipants => Set<InternalThreadParticipantRow>();
    public DbSet<InternalMessageRow> InternalMessages => Set<InternalMessageRow>();
    public DbSet<InboxRow> InboxRows => Set<InboxRow>();

    /// <summary>Whether this context talks to PostgreSQL (otherwise SQLite).</summary>
    public abstract bool IsPostgres { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OrganisationRow>(e =>
        {
            e.ToTable("organisations").HasKey(x => x.Id).HasName("pk_organisations");
            Id(e.Property(x => x.Id));
            Id(e.Property(x => x.DefaultWorkspaceId));
            e.Property(x => x.Name).HasMaxLength(200);
        });

        modelBuilder.Entity<WorkspaceRow>(e =>
        {
            e.ToTable("workspaces").HasKey(x => x.Id).HasName("pk_workspaces");
            Id(e.Property(x => x.Id));
            Id(e.Property(x => x.OrganisationId));
            e.Property(x => x.Name).HasMaxLength(200);
            Enum(e.Property(x => x.Kind));
            e.HasIndex(x => x.OrganisationId).HasDatabaseName("ix_workspaces_organisation");
        });

        modelBuilder.Entity<MemberRow>(e =>
        {
            e.ToTable("workspace_members").HasKey(x => new { x.WorkspaceId, x.StaffId }).HasName("pk_workspace_members");
            e.HasIndex(x => x.StaffId).HasDatabaseName("ix_workspace_members_staff"); // a member's workspaces (the switcher)
            Id(e.Property(x => x.WorkspaceId));
            Id(e.Property(x => x.StaffId));
            e.Property(x => x.Email).HasMaxLength(254);
            e.Property(x => x.DisplayName).HasMaxLength(200);
            Enum(e.Property(x => x.Role));
        });

        modelBuilder.Entity<TeamRow>(e =>
        {
            e.ToTable("teams").HasKey(x => new { x.WorkspaceId, x.Id }).HasName("pk_teams");
            Id(e.Property(x => x.WorkspaceId));
            Id(e.Property(x => x.Id));
            e.Property(x => x.Name).HasMaxLength(200);
            e.HasMany(x => x.Members).WithOne().HasForeignKey(x => new { x.WorkspaceId, x.TeamId })
                .HasConstraintName("fk_team_members_teams").OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<TeamMemberRow>(e =>
        {
            e.ToTable("team_members").HasKey(x => new { x.WorkspaceId, x.TeamId, x.StaffId }).HasName("pk_team_members");
            Id(e.Property(x => x.WorkspaceId));
            Id(e.Property(x => x.TeamId));
            Id(e.Property(x => x.StaffId));
            e.HasIndex(x => new { x.WorkspaceId, x.StaffId }).HasDatabaseName("ix_team_members_staff");
        });

        modelBuilder.Entity<PatientRow>(e =>
        {
            e.ToTable("patients").HasKey(x => new { x.OrganisationId, x.Id }).HasName("pk_patients");
            Id(e.Property(x => x.OrganisationId));
            Id(e.Property(x => x.Id));
            e.Property(x => x.NhsNumber).HasMaxLength(10);
            e.Property(x => x.GivenName).HasMaxLength(200);
            e.Property(x => x.FamilyName).HasMaxLength(200);
            e.Property(x => x.Mobile).HasMaxLength(16);
            e.Property(x => x.Email).HasMaxLength(254);
            // R33: any number of patients may have no NHS number; those who have one are unique per organisation.
            e.HasIndex(x => new { x.OrganisationId, x.NhsNumber }).IsUnique().HasFilter(Quote("nhs_number") + " IS NOT NULL").HasDatabaseName("ux_patients_nhs_number");
        });

        modelBuilder.Entity<ConversationRow>(e =>
        {
            e.ToTable("conversations").HasKey(x => x.Id).HasName("pk_conversations");
            Id(e.Property(x => x.OrganisationId));
            Id(e.Property(x => x.WorkspaceId));
            Id(e.Property(x => x.PatientId));
            Id(e.Property(x => x.StartedBy));
            Id(e.Property(x => x.AssigneeId));
            Enum(e.Property(x => x.AssigneeKind));
            Enum(e.Property(x => x.Status));
            e.Property(x => x.Subject).HasMaxLength(200);
            e.Property(x => x.Version).IsConcurrencyToken();

            // R7: each inbox view walks one of these backwards from its newest entry (or from the page cursor).
            e.HasIndex(x => new { x.WorkspaceId, x.AssigneeKind, x.AssigneeId, x.Status, x.LastActivityAt, x.Id }).HasDatabaseName("ix_conversations_inbox_assignee_status");
            e.HasIndex(x => new { x.WorkspaceId, x.AssigneeKind, x.AssigneeId, x.LastActivityAt, x.Id }).HasDatabaseName("ix_conversations_inbox_assignee");
            e.HasIndex(x => new { x.WorkspaceId, x.Status, x.LastActivityAt, x.Id }).HasDatabaseName("ix_conversations_inbox_all_status");
            e.HasIndex(x => new { x.WorkspaceId, x.LastActivityAt, x.Id }).HasDatabaseName("ix_conversations_inbox_all");
            e.HasIndex(x => new { x.WorkspaceId, x.PatientId }).HasDatabaseName("ix_conversations_patient");
        });

        modelBuilder.Entity<ParticipantRow>(e =>
        {
            e.ToTable("conversation_participants").HasKey(x => new { x.ConversationId, x.StaffId }).HasName("pk_conversation_participants");
            Id(e.Property(x => x.StaffId));
            Id(e.Property(x => x.WorkspaceId));
            Enum(e.Property(x => x.Status));
            e.HasOne<ConversationRow>().WithMany().HasForeignKey(x => x.ConversationId)
                .HasConstraintName("fk_conversation_participants_conversations").OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.WorkspaceId, x.StaffId, x.Status, x.LastActivityAt, x.ConversationId }).HasDatabaseName("ix_conversation_participants_inbox_status");
            e.HasIndex(x => new { x.WorkspaceId, x.StaffId, x.LastActivityAt, x.ConversationId }).HasDatabaseName("ix_conversation_participants_inbox");
        });

        modelBuilder.Entity<AssignmentRow>(e =>
        {
            e.ToTable("conversation_assignments").HasKey(x => new { x.ConversationId, x.Sequence }).HasName("pk_conversation_assignments");
            Enum(e.Property(x => x.AssignedToKind));
            Id(e.Property(x => x.AssignedToId));
            Enum(e.Property(x => x.PreviousAssigneeKind));
            Id(e.Property(x => x.PreviousAssigneeId));
            Id(e.Property(x => x.AssignedBy));
        });

        modelBuilder.Entity<ReadPositionRow>(e =>
        {
            e.ToTable("read_positions").HasKey(x => new { x.ConversationId, x.StaffId }).HasName("pk_read_positions");
            Id(e.Property(x => x.StaffId));
        });

        modelBuilder.Entity<MessageRow>(e =>
        {
            e.ToTable("messages").HasKey(x => x.Id).HasName("pk_messages");
            Id(e.Property(x => x.OrganisationId));
            Id(e.Property(x => x.WorkspaceId));
            Id(e.Property(x => x.PatientId));
            Id(e.Property(x => x.SentBy));
            e.Property(x => x.Channel).HasMaxLength(32);
            Enum(e.Property(x => x.Direction));
            Enum(e.Property(x => x.Status));
            e.Property(x => x.Recipient).HasMaxLength(254);
            e.Property(x => x.Subject).HasMaxLength(200);
            e.Property(x => x.IdempotencyKey).HasMaxLength(200);
            e.Property(x => x.ContentHash).HasMaxLength(128);
            e.Property(x => x.ProviderName).HasMaxLength(64);
            e.Property(x => x.ProviderMessageId).HasMaxLength(128);
            e.Property(x => x.ProviderStatus).HasMaxLength(64);
            e.Property(x => x.ErrorCode).HasMaxLength(64);
            e.Property(x => x.Attachments).HasDefaultValue("[]");
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasIndex(x => new { x.ConversationId, x.CreatedAt }).HasDatabaseName("ix_messages_conversation");
            e.HasIndex(x => new { x.WorkspaceId, x.PatientId, x.CreatedAt, x.Id }).HasDatabaseName("ix_messages_patient_history");
            e.HasIndex(x => new { x.OrganisationId, x.IdempotencyKey }).IsUnique()
                .HasFilter(Quote("idempotency_key") + " IS NOT NULL").HasDatabaseName("ux_messages_idempotency_key");
            e.HasIndex(x => new { x.ProviderName, x.ProviderMessageId })
                .HasFilter(Quote("provider_message_id") + " IS NOT NULL").HasDatabaseName("ix_messages_provider_id");
        });

        modelBuilder.Entity<OutboxRow>(e =>
        {
            e.ToTable("outbox").HasKey(x => x.MessageId).HasName("pk_outbox");
            e.Property(x => x.LeaseOwner).HasMaxLength(200);
            e.HasIndex(x => new { x.NextAttemptAt, x.MessageId }).HasDatabaseName("ix_outbox_due");
        });

        modelBuilder.Entity<CreditEntryRow>(e =>
        {
            e.ToTable("credit_ledger").HasKey(x => x.Position).HasName("pk_credit_ledger");
            e.Property(x => x.Position).ValueGeneratedOnAdd();
            Id(e.Property(x => x.OrganisationId));
            Enum(e.Property(x => x.Kind));
            e.Property(x => x.Reference).HasMaxLength(200);

            // The store always writes it; the default only fills rows that predate it before the migration's backfill.
            e.Property(x => x.BalanceAfter).HasDefaultValue(0);
            e.HasIndex(x => x.Id).IsUnique().HasDatabaseName("ux_credit_ledger_id");
            e.HasIndex(x => new { x.OrganisationId, x.Position }).HasDatabaseName("ix_credit_ledger_organisation");
            e.HasIndex(x => new { x.OrganisationId, x.At }).HasDatabaseName("ix_credit_ledger_organisation_at");

            // A payment reference buys credits once per organisation, also when two purchase calls race (R15).
            e.HasIndex(x => new { x.OrganisationId, x.Reference }).IsUnique()
                .HasFilter(Quote("kind") + " = 'Purchase' AND " + Quote("reference") + " IS NOT NULL").HasDatabaseName(PurchaseReferenceIndex);
        });

        modelBuilder.Entity<CreditBalanceRow>(e =>
        {
            e.ToTable("credit_balances").HasKey(x => x.OrganisationId).HasName("pk_credit_balances");
            Id(e.Property(x => x.OrganisationId));
            e.ToTable(t => t.HasCheckConstraint("ck_credit_balances_not_negative", Quote("balance") + " >= 0"));
        });

        modelBuilder.Entity<ReplyTokenRow>(e =>
        {
            e.ToTable("reply_tokens").HasKey(x => x.TokenHash).HasName("pk_reply_tokens");
            e.Property(x => x.TokenHash).HasMaxLength(64);
            Id(e.Property(x => x.OrganisationId));
            Id(e.Property(x => x.PatientId));
            Enum(e.Property(x => x.State));
            e.HasIndex(x => new { x.ConversationId, x.State }).HasDatabaseName("ix_reply_tokens_conversation");

            // R12/R29: at most one active token per conversation, whatever concurrent transactions do; the store resolves
            // a clash on activation itself (EfCoreUnitOfWork.ActivateReplyToken).
            e.HasIndex(x => x.ConversationId).IsUnique().HasFilter(Quote("state") + " = 'Active'").HasDatabaseName(OneActiveReplyTokenIndex);
        });

        modelBuilder.Entity<OptOutRow>(e =>
        {
            e.ToTable("sms_opt_outs").HasKey(x => new { x.OrganisationId, x.Number }).HasName("pk_sms_opt_outs");
            Id(e.Property(x => x.OrganisationId));
            e.Property(x => x.Number).HasMaxLength(16);
            e.Property(x => x.Source).HasMaxLength(64);
        });

        modelBuilder.Entity<AuditEventRow>(e =>
        {
            e.ToTable("audit_events").HasKey(x => x.Position).HasName("pk_audit_events");
            e.Property(x => x.Position).ValueGeneratedOnAdd();
            Id(e.Property(x => x.OrganisationId));
            Id(e.Property(x => x.WorkspaceId));
            Enum(e.Property(x => x.ActorKind));
            Id(e.Property(x => x.ActorId));
            e.Property(x => x.Action).HasMaxLength(64);
            Id(e.Property(x => x.PatientId));
            e.Property(x => x.TargetId).HasMaxLength(200);
            if (IsPostgres)
            {
                e.Property(x => x.Details).HasColumnType("jsonb");
            }

            e.HasIndex(x => x.Id).IsUnique().HasDatabaseName("ux_audit_events_id");
            e.HasIndex(x => new { x.OrganisationId, x.Position }).HasDatabaseName("ix_audit_events_organisation");
            e.HasIndex(x => new { x.OrganisationId, x.PatientId, x.Position }).HasDatabaseName("ix_audit_events_patient");
            e.HasIndex(x => new { x.OrganisationId, x.TargetId, x.Position }).HasDatabaseName("ix_audit_events_target");
            e.HasIndex(x => new { x.OrganisationId, x.Action, x.Position }).HasDatabaseName("ix_audit_events_action");
        });

        modelBuilder.Entity<NotificationRow>(e =>
        {
            e.ToTable("notifications").HasKey(x => x.Id).HasName("pk_notifications");
            Id(e.Property(x => x.OrganisationId));
            Id(e.Property(x => x.WorkspaceId));
            Id(e.Property(x => x.Recipient));
            e.Property(x => x.Kind).HasMaxLength(64);

            // A member's list, newest first (keyset on created_at, id), and their unread count.
            e.HasIndex(x => new { x.WorkspaceId, x.Recipient, x.CreatedAt, x.Id }).HasDatabaseName("ix_notifications_recipient");
            e.HasIndex(x => new { x.WorkspaceId, x.Recipient }).HasFilter(Quote("read_at") + " IS NULL").HasDatabaseName("ix_notifications_unread");
        });

        modelBuilder.Entity<AttachmentRow>(e =>
        {
            e.ToTable("attachments").HasKey(x => x.Id).HasName("pk_attachments");
            Id(e.Property(x => x.OrganisationId));
            Id(e.Property(x => x.WorkspaceId));
            e.Property(x => x.FileName).HasMaxLength(255);
            e.Property(x => x.ContentType).HasMaxLength(127);
            e.Property(x => x.Sha256).HasMaxLength(64);
            Id(e.Property(x => x.UploadedBy));
            Id(e.Property(x => x.UploadedByPatient));
        });

        modelBuilder.Entity<AttachmentLinkRow>(e =>
        {
            e.ToTable("attachment_links").HasKey(x => x.TokenHash).HasName("pk_attachment_links");
            e.Property(x => x.TokenHash).HasMaxLength(64);
            Id(e.Property(x => x.OrganisationId));
            e.HasIndex(x => x.AttachmentId).HasDatabaseName("ix_attachment_links_attachment");
        });

        modelBuilder.Entity<TemplateRow>(e =>
        {
            e.ToTable("message_templates").HasKey(x => x.Id).HasName("pk_message_templates");
            Id(e.Property(x => x.WorkspaceId));
            Id(e.Property(x => x.Owner));
            Id(e.Property(x => x.UpdatedBy));
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.NameKey).HasMaxLength(128);
            e.Property(x => x.Version).IsConcurrencyToken();

            // R16's name sets: the workspace's shared templates, and each owner's personal ones in the workspace.
            e.HasIndex(x => new { x.WorkspaceId, x.NameKey }).IsUnique().HasFilter(Quote("is_shared") + " = TRUE").HasDatabaseName("ux_message_templates_shared_name");
            e.HasIndex(x => new { x.WorkspaceId, x.Owner, x.NameKey }).IsUnique().HasFilter(Quote("is_shared") + " = FALSE").HasDatabaseName("ux_message_templates_personal_name");
        });

        modelBuilder.Entity<DirectMessageRow>(e =>
        {
            e.ToTable("direct_messages").HasKey(x => x.Id).HasName("pk_direct_messages");
            Id(e.Property(x => x.OrganisationId));
            Id(e.Property(x => x.WorkspaceId));
            Id(e.Property(x => x.PatientId));
            Id(e.Property(x => x.SentBy));
            e.Property(x => x.Subject).HasMaxLength(200);
            e.Property(x => x.Attachments).HasDefaultValue("[]");
            e.Property(x => x.LinkTokenHash).HasMaxLength(64);
            e.Property(x => x.AccessCodeHash).HasMaxLength(512);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasIndex(x => x.LinkTokenHash).IsUnique().HasFilter(Quote("link_token_hash") + " IS NOT NULL").HasDatabaseName("ux_direct_messages_link_token_hash");
            e.HasIndex(x => x.ConversationId).HasDatabaseName("ix_direct_messages_conversation");
        });

        modelBuilder.Entity<InternalThreadRow>(e =>
        {
            e.ToTable("internal_threads").HasKey(x => x.Id).HasName("pk_internal_threads");
            Id(e.Property(x => x.OrganisationId));
            Id(e.Property(x => x.WorkspaceId));
            Id(e.Property(x => x.PatientId));
            Id(e.Property(x => x.StartedBy));
            e.Property(x => x.Subject).HasMaxLength(200);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasIndex(x => new { x.OrganisationId, x.PatientId, x.CreatedAt }).HasDatabaseName("ix_internal_threads_patient");
        });

        modelBuilder.Entity<InternalThreadParticipantRow>(e =>
        {
            e.ToTable("internal_thread_participants").HasKey(x => new { x.ThreadId, x.StaffId }).HasName("pk_internal_thread_participants");
            Id(e.Property(x => x.StaffId));
            Id(e.Property(x => x.WorkspaceId));
            e.HasOne<InternalThreadRow>().WithMany().HasForeignKey(x => x.ThreadId)
                .HasConstraintName("fk_internal_thread_participants_internal_threads").OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.WorkspaceId, x.StaffId, x.LastActivityAt, x.ThreadId }).HasDatabaseName("ix_internal_thread_participants_list");
        });

        modelBuilder.Entity<InternalMessageRow>(e =>
        {
            e.ToTable("internal_messages").HasKey(x => x.Position).HasName("pk_internal_messages");
            e.Property(x => x.Position).ValueGeneratedOnAdd();
            Id(e.Property(x => x.OrganisationId));
            Id(e.Property(x => x.WorkspaceId));
            Id(e.Property(x => x.SentBy));
            e.HasIndex(x => x.Id).IsUnique().HasDatabaseName("ux_internal_messages_id");
            e.HasIndex(x => new { x.ThreadId, x.CreatedAt, x.Position }).HasDatabaseName("ix_internal_messages_thread");
        });

        // Not a table: the shape of an inbox query's rows (see EfCoreMessagingStore.Inbox).
        modelBuilder.Entity<InboxRow>(e =>
        {
            e.HasNoKey().ToView(null);
            Enum(e.Property(x => x.AssigneeKind));
            Enum(e.Property(x => x.Status));
        });

        // snake_case column names everywhere, from the property names.
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
            }
        }
    }

    /// <summary>A host key: at most <see cref="IdLength"/> characters.</summary>
    private static void Id<T>(PropertyBuilder<T> property) => property.HasMaxLength(IdLength);

    /// <summary>Enums are stored by name, so rows read plainly ("Open", "Team", "Charge").</summary>
    private static void Enum<T>(PropertyBuilder<T> property) => property.HasConversion<string>().HasMaxLength(32);

    /// <summary>An identifier quoted the same way for both databases (index filters and constraints are raw SQL).</summary>
    internal static string Quote(string identifier) => $"\"{identifier}\"";

    /// <summary>The partial unique index that allows one active reply token per conversation.</summary>
    internal const string OneActiveReplyTokenIndex = "ux_reply_tokens_one_active";

    /// <summary>The partial unique index that records a purchase's payment reference once per organisation (R15).</summary>
    internal const string PurchaseReferenceIndex = "ux_credit_ledger_purchase_reference";

    internal static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}

/// <summary>The schema on SQLite; its migrations are under <c>Migrations/Sqlite</c>.</summary>
internal sealed class SqliteMessagingDbContext(DbContextOptions<SqliteMessagingDbContext> options) : MessagingDbContext(options)
{
    public override bool IsPostgres => false;
}

/// <summary>The schema on PostgreSQL; its migrations are under <c>Migrations/Postgres</c>.</summary>
internal sealed class PostgresMessagingDbContext(DbContextOptions<PostgresMessagingDbContext> options) : MessagingDbContext(options)
{
    public override bool IsPostgres => true;
}
