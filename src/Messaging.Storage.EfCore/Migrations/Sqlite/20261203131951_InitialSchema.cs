using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Messaging.Storage.EfCore.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "attachment_links",
                columns: table => new
                {
                    token_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    attachment_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    message_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    organisation_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    issued_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    expires_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_attachment_links", x => x.token_hash);
                });

            migrationBuilder.CreateTable(
                name: "attachments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    organisation_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    workspace_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    file_name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    content_type = table.Column<string>(type: "TEXT", maxLength: 127, nullable: false),
                    length = table.Column<long>(type: "INTEGER", nullable: false),
                    sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    uploaded_by = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    uploaded_by_patient = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_attachments", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "audit_events",
                columns: table => new
                {
                    position = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    occurred_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    organisation_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    workspace_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    actor_kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    actor_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    patient_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    target_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    details = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_events", x => x.position);
                });

            migrationBuilder.CreateTable(
                name: "conversation_assignments",
                columns: table => new
                {
                    conversation_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    assigned_to_kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    assigned_to_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    previous_assignee_kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    previous_assignee_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    assigned_by = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    assigned_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_conversation_assignments", x => new { x.conversation_id, x.sequence });
                });

            migrationBuilder.CreateTable(
                name: "conversations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    organisation_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    workspace_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    patient_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    started_by = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    assignee_kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    assignee_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    subject = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    participants = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_activity_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    activity_sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_conversations", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "credit_balances",
                columns: table => new
                {
                    organisation_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    balance = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_credit_balances", x => x.organisation_id);
                    table.CheckConstraint("ck_credit_balances_not_negative", "\"balance\" >= 0");
                });

            migrationBuilder.CreateTable(
                name: "credit_ledger",
                columns: table => new
                {
                    position = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    organisation_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    amount = table.Column<int>(type: "INTEGER", nullable: false),
                    message_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    reference = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_credit_ledger", x => x.position);
                });

            migrationBuilder.CreateTable(
                name: "direct_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    organisation_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    workspace_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    conversation_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    patient_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    sent_by = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    subject = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    body = table.Column<string>(type: "TEXT", nullable: false),
                    attachments = table.Column<string>(type: "TEXT", nullable: false, defaultValue: "[]"),
                    email_message_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    sms_message_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    link_token_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    link_expires_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    access_code_hash = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    access_code_expires_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    failed_attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    locked_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    first_unlocked_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_direct_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "internal_messages",
                columns: table => new
                {
                    position = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    thread_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    organisation_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    workspace_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    sent_by = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    body = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_internal_messages", x => x.position);
                });

            migrationBuilder.CreateTable(
                name: "internal_threads",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    organisation_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    workspace_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    patient_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    subject = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    started_by = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    participants = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_activity_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_internal_threads", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "message_templates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    workspace_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    owner = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    name_key = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    body = table.Column<string>(type: "TEXT", nullable: false),
                    html_body = table.Column<string>(type: "TEXT", nullable: true),
                    is_shared = table.Column<bool>(type: "INTEGER", nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_by = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_message_templates", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    organisation_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    workspace_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    conversation_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    patient_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    channel = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    direction = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    sent_by = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    recipient = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    subject = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    body = table.Column<string>(type: "TEXT", nullable: false),
                    html_body = table.Column<string>(type: "TEXT", nullable: true),
                    in_reply_to = table.Column<Guid>(type: "TEXT", nullable: true),
                    allow_reply = table.Column<bool>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    segments = table.Column<int>(type: "INTEGER", nullable: false),
                    credits = table.Column<int>(type: "INTEGER", nullable: false),
                    idempotency_key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    direct_message_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    content_hash = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    provider_name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    provider_message_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    provider_status = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    error_code = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    attachments = table.Column<string>(type: "TEXT", nullable: false, defaultValue: "[]"),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "notifications",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    organisation_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    workspace_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    recipient = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    conversation_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    message_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    read_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notifications", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "organisations",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    default_workspace_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_organisations", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outbox",
                columns: table => new
                {
                    message_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    next_attempt_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    lease_owner = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    lease_expires_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox", x => x.message_id);
                });

            migrationBuilder.CreateTable(
                name: "patients",
                columns: table => new
                {
                    organisation_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    nhs_number = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    date_of_birth = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    given_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    family_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    mobile = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_patients", x => new { x.organisation_id, x.id });
                });

            migrationBuilder.CreateTable(
                name: "read_positions",
                columns: table => new
                {
                    conversation_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    staff_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    read_up_to = table.Column<long>(type: "INTEGER", nullable: false),
                    marked_unread = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_read_positions", x => new { x.conversation_id, x.staff_id });
                });

            migrationBuilder.CreateTable(
                name: "reply_tokens",
                columns: table => new
                {
                    token_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    organisation_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    conversation_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    message_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    patient_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    issued_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    expires_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    state = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    used_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reply_tokens", x => x.token_hash);
                });

            migrationBuilder.CreateTable(
                name: "sms_opt_outs",
                columns: table => new
                {
                    organisation_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    number = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    opted_out = table.Column<bool>(type: "INTEGER", nullable: false),
                    changed_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    source = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sms_opt_outs", x => new { x.organisation_id, x.number });
                });

            migrationBuilder.CreateTable(
                name: "teams",
                columns: table => new
                {
                    workspace_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_teams", x => new { x.workspace_id, x.id });
                });

            migrationBuilder.CreateTable(
                name: "workspace_members",
                columns: table => new
                {
                    workspace_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    staff_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    display_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    role = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    added_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_workspace_members", x => new { x.workspace_id, x.staff_id });
                });

            migrationBuilder.CreateTable(
                name: "workspaces",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    organisation_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    has_shared_inbox = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_workspaces", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "conversation_participants",
                columns: table => new
                {
                    conversation_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    staff_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    workspace_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    last_activity_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_conversation_participants", x => new { x.conversation_id, x.staff_id });
                    table.ForeignKey(
                        name: "fk_conversation_participants_conversations",
                        column: x => x.conversation_id,
                        principalTable: "conversations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "internal_thread_participants",
                columns: table => new
                {
                    thread_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    staff_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    workspace_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    last_activity_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_internal_thread_participants", x => new { x.thread_id, x.staff_id });
                    table.ForeignKey(
                        name: "fk_internal_thread_participants_internal_threads",
                        column: x => x.thread_id,
                        principalTable: "internal_threads",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "team_members",
                columns: table => new
                {
                    workspace_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    team_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    staff_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    position = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_team_members", x => new { x.workspace_id, x.team_id, x.staff_id });
                    table.ForeignKey(
                        name: "fk_team_members_teams",
                        columns: x => new { x.workspace_id, x.team_id },
                        principalTable: "teams",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_attachment_links_attachment",
                table: "attachment_links",
                column: "attachment_id");

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_action",
                table: "audit_events",
                columns: new[] { "organisation_id", "action", "position" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_organisation",
                table: "audit_events",
                columns: new[] { "organisation_id", "position" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_patient",
                table: "audit_events",
                columns: new[] { "organisation_id", "patient_id", "position" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_target",
                table: "audit_events",
                columns: new[] { "organisation_id", "target_id", "position" });

            migrationBuilder.CreateIndex(
                name: "ux_audit_events_id",
                table: "audit_events",
                column: "id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_conversation_participants_inbox",
                table: "conversation_participants",
                columns: new[] { "workspace_id", "staff_id", "last_activity_at", "conversation_id" });

            migrationBuilder.CreateIndex(
                name: "ix_conversation_participants_inbox_status",
                table: "conversation_participants",
                columns: new[] { "workspace_id", "staff_id", "status", "last_activity_at", "conversation_id" });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_inbox_all",
                table: "conversations",
                columns: new[] { "workspace_id", "last_activity_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_inbox_all_status",
                table: "conversations",
                columns: new[] { "workspace_id", "status", "last_activity_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_inbox_assignee",
                table: "conversations",
                columns: new[] { "workspace_id", "assignee_kind", "assignee_id", "last_activity_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_inbox_assignee_status",
                table: "conversations",
                columns: new[] { "workspace_id", "assignee_kind", "assignee_id", "status", "last_activity_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_patient",
                table: "conversations",
                columns: new[] { "workspace_id", "patient_id" });

            migrationBuilder.CreateIndex(
                name: "ix_credit_ledger_organisation",
                table: "credit_ledger",
                columns: new[] { "organisation_id", "position" });

            migrationBuilder.CreateIndex(
                name: "ux_credit_ledger_id",
                table: "credit_ledger",
                column: "id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_direct_messages_conversation",
                table: "direct_messages",
                column: "conversation_id");

            migrationBuilder.CreateIndex(
                name: "ux_direct_messages_link_token_hash",
                table: "direct_messages",
                column: "link_token_hash",
                unique: true,
                filter: "\"link_token_hash\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_internal_messages_thread",
                table: "internal_messages",
                columns: new[] { "thread_id", "created_at", "position" });

            migrationBuilder.CreateIndex(
                name: "ux_internal_messages_id",
                table: "internal_messages",
                column: "id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_internal_thread_participants_list",
                table: "internal_thread_participants",
                columns: new[] { "workspace_id", "staff_id", "last_activity_at", "thread_id" });

            migrationBuilder.CreateIndex(
                name: "ix_internal_threads_patient",
                table: "internal_threads",
                columns: new[] { "organisation_id", "patient_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ux_message_templates_personal_name",
                table: "message_templates",
                columns: new[] { "workspace_id", "owner", "name_key" },
                unique: true,
                filter: "\"is_shared\" = FALSE");

            migrationBuilder.CreateIndex(
                name: "ux_message_templates_shared_name",
                table: "message_templates",
                columns: new[] { "workspace_id", "name_key" },
                unique: true,
                filter: "\"is_shared\" = TRUE");

            migrationBuilder.CreateIndex(
                name: "ix_messages_conversation",
                table: "messages",
                columns: new[] { "conversation_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_messages_patient_history",
                table: "messages",
                columns: new[] { "workspace_id", "patient_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_messages_provider_id",
                table: "messages",
                columns: new[] { "provider_name", "provider_message_id" },
                filter: "\"provider_message_id\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ux_messages_idempotency_key",
                table: "messages",
                columns: new[] { "organisation_id", "idempotency_key" },
                unique: true,
                filter: "\"idempotency_key\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_notifications_recipient",
                table: "notifications",
                columns: new[] { "workspace_id", "recipient", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_notifications_unread",
                table: "notifications",
                columns: new[] { "workspace_id", "recipient" },
                filter: "\"read_at\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_due",
                table: "outbox",
                columns: new[] { "next_attempt_at", "message_id" });

            migrationBuilder.CreateIndex(
                name: "ux_patients_nhs_number",
                table: "patients",
                columns: new[] { "organisation_id", "nhs_number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_reply_tokens_conversation",
                table: "reply_tokens",
                columns: new[] { "conversation_id", "state" });

            migrationBuilder.CreateIndex(
                name: "ix_team_members_staff",
                table: "team_members",
                columns: new[] { "workspace_id", "staff_id" });

            migrationBuilder.CreateIndex(
                name: "ix_workspaces_organisation",
                table: "workspaces",
                column: "organisation_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "attachment_links");

            migrationBuilder.DropTable(
                name: "attachments");

            migrationBuilder.DropTable(
                name: "audit_events");

            migrationBuilder.DropTable(
                name: "conversation_assignments");

            migrationBuilder.DropTable(
                name: "conversation_participants");

            migrationBuilder.DropTable(
                name: "credit_balances");

            migrationBuilder.DropTable(
                name: "credit_ledger");

            migrationBuilder.DropTable(
                name: "direct_messages");

            migrationBuilder.DropTable(
                name: "internal_messages");

            migrationBuilder.DropTable(
                name: "internal_thread_participants");

            migrationBuilder.DropTable(
                name: "message_templates");

            migrationBuilder.DropTable(
                name: "messages");

            migrationBuilder.DropTable(
                name: "notifications");

            migrationBuilder.DropTable(
                name: "organisations");

            migrationBuilder.DropTable(
                name: "outbox");

            migrationBuilder.DropTable(
                name: "patients");

            migrationBuilder.DropTable(
                name: "read_positions");

            migrationBuilder.DropTable(
                name: "reply_tokens");

            migrationBuilder.DropTable(
                name: "sms_opt_outs");

            migrationBuilder.DropTable(
                name: "team_members");

            migrationBuilder.DropTable(
                name: "workspace_members");

            migrationBuilder.DropTable(
                name: "workspaces");

            migrationBuilder.DropTable(
                name: "conversations");

            migrationBuilder.DropTable(
                name: "internal_threads");

            migrationBuilder.DropTable(
                name: "teams");
        }
    }
}
