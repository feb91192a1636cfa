using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Messaging.Storage.EfCore.Migrations.Postgres
{
    /// <inheritdoc />
    internal partial class OneActiveReplyTokenPerConversation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Before the index, a race could leave two active tokens in a conversation: keep the newest (R12, R29).
            migrationBuilder.Sql(
                "UPDATE reply_tokens SET state = 'Superseded' WHERE state = 'Active' AND EXISTS ("
                + "SELECT 1 FROM reply_tokens AS newer WHERE newer.conversation_id = reply_tokens.conversation_id AND newer.state = 'Active' "
                + "AND (newer.issued_at > reply_tokens.issued_at OR (newer.issued_at = reply_tokens.issued_at AND newer.token_hash > reply_tokens.token_hash)))");

            migrationBuilder.CreateIndex(
                name: "ux_reply_tokens_one_active",
                table: "reply_tokens",
                column: "conversation_id",
                unique: true,
                filter: "\"state\" = 'Active'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_reply_tokens_one_active",
                table: "reply_tokens");
        }
    }
}
