using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Messaging.Storage.EfCore.Migrations.Postgres
{
    /// <inheritdoc />
    internal partial class OptionalNhsNumberAndPurchases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_patients_nhs_number",
                table: "patients");

            migrationBuilder.AlterColumn<string>(
                name: "nhs_number",
                table: "patients",
                type: "character varying(10)",
                maxLength: 10,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(10)",
                oldMaxLength: 10);

            migrationBuilder.AddColumn<int>(
                name: "balance_after",
                table: "credit_ledger",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Existing entries get the running balance after them, in the ledger's order.
            migrationBuilder.Sql(
                "UPDATE credit_ledger SET balance_after = (SELECT SUM(l.amount) FROM credit_ledger l "
                + "WHERE l.organisation_id = credit_ledger.organisation_id AND l.position <= credit_ledger.position)");

            // Purchases recorded twice under one reference before references were unique keep the first as is; later
            // ones get their ledger position appended, so the unique index can be built and nothing is lost.
            migrationBuilder.Sql(
                "UPDATE credit_ledger SET reference = SUBSTR(reference, 1, 180) || ' #' || CAST(position AS TEXT) "
                + "WHERE kind = 'Purchase' AND reference IS NOT NULL AND position NOT IN "
                + "(SELECT MIN(l.position) FROM credit_ledger l WHERE l.kind = 'Purchase' AND l.reference IS NOT NULL GROUP BY l.organisation_id, l.reference)");

            migrationBuilder.CreateIndex(
                name: "ux_patients_nhs_number",
                table: "patients",
                columns: new[] { "organisation_id", "nhs_number" },
                unique: true,
                filter: "\"nhs_number\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_credit_ledger_organisation_at",
                table: "credit_ledger",
                columns: new[] { "organisation_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ux_credit_ledger_purchase_reference",
                table: "credit_ledger",
                columns: new[] { "organisation_id", "reference" },
                unique: true,
                filter: "\"kind\" = 'Purchase' AND \"reference\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_patients_nhs_number",
                table: "patients");

            migrationBuilder.DropIndex(
                name: "ix_credit_ledger_organisation_at",
                table: "credit_ledger");

            migrationBuilder.DropIndex(
                name: "ux_credit_ledger_purchase_reference",
                table: "credit_ledger");

            migrationBuilder.DropColumn(
                name: "balance_after",
                table: "credit_ledger");

            migrationBuilder.AlterColumn<string>(
                name: "nhs_number",
                table: "patients",
                type: "character varying(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "character varying(10)",
                oldMaxLength: 10,
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "ux_patients_nhs_number",
                table: "patients",
                columns: new[] { "organisation_id", "nhs_number" },
                unique: true);
        }
    }
}
