using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Poe.WebhookBridge.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class ClaimIndexWithoutDeduplication : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_video_polls_next_poll_at",
                schema: "bridge",
                table: "video_polls");

            migrationBuilder.DropIndex(
                name: "ix_video_polls_poe_key_id_claim_order",
                schema: "bridge",
                table: "video_polls");

            migrationBuilder.CreateIndex(
                name: "ix_video_polls_poe_key_id_claim_order",
                schema: "bridge",
                table: "video_polls",
                columns: new[] { "poe_key_id", "claim_order" })
                .Annotation("Npgsql:StorageParameter:deduplicate_items", false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_video_polls_poe_key_id_claim_order",
                schema: "bridge",
                table: "video_polls");

            migrationBuilder.CreateIndex(
                name: "ix_video_polls_next_poll_at",
                schema: "bridge",
                table: "video_polls",
                column: "next_poll_at");

            migrationBuilder.CreateIndex(
                name: "ix_video_polls_poe_key_id_claim_order",
                schema: "bridge",
                table: "video_polls",
                columns: new[] { "poe_key_id", "claim_order" });
        }
    }
}
