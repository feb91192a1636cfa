using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Messaging.Storage.EfCore.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DirectAndInternalMessages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "direct_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    organisation_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    workspace_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    conversation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    patient_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    sent_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    attachments = table.Column<string>(type: "text", nullable: false, defaultValue: "[]"),
                    email_message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sms_message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    link_token_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    link_expires_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    access_code_hash = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    access_code_expires_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    failed_attempts = table.Column<int>(type: "integer", nullable: false),
                    locked_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    first_unlocked_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_direct_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "internal_messages",
                columns: table => new
                {
                    position = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    thread_id = table.Column<Guid>(type: "uuid", nullable: false),
                    organisation_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    workspace_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    sent_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_internal_messages", x => x.position);
                });

            migrationBuilder.CreateTable(
                name: "internal_threads",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    organisation_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    workspace_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    patient_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    started_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    participants = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    last_activity_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_internal_threads", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "internal_thread_participants",
                columns: table => new
                {
                    thread_id = table.Column<Guid>(type: "uuid", nullable: false),
                    staff_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    workspace_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    last_activity_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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

            migrationBuilder.CreateIndex(
                name: "ix_messages_patient_history",
                table: "messages",
                columns: new[] { "workspace_id", "patient_id", "created_at", "id" });

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "direct_messages");

            migrationBuilder.DropTable(
                name: "internal_messages");

            migrationBuilder.DropTable(
                name: "internal_thread_participants");

            migrationBuilder.DropTable(
                name: "internal_threads");

            migrationBuilder.DropIndex(
                name: "ix_messages_patient_history",
                table: "messages");
        }
    }
}
