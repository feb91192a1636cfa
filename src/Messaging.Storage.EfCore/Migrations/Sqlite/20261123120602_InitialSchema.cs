using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Messaging.Storage.EfCore.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
                    allow_reply = table.Column<bool>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    segments = table.Column<int>(type: "INTEGER", nullable: false),
                    credits = table.Column<int>(type: "INTEGER", nullable: false),
                    idempotency_key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    content_hash = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    provider_name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    provider_message_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    provider_status = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    error_code = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_messages", x => x.id);
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
                name: "ix_messages_conversation",
                table: "messages",
                columns: new[] { "conversation_id", "created_at" });

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
                name: "messages");

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
                name: "teams");
        }
    }
}
