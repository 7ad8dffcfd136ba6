using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Poe.WebhookBridge.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class ClaimOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "urgent_at",
                schema: "bridge",
                table: "video_polls",
                type: "timestamp with time zone",
                nullable: true);

            // urgent_at is the last answer plus AdaptiveCadence.UrgentAfter(Polling:MaxInterval); existing rows get the
            // default configuration's 35 s (a minute's floor at 75 %, less the 10 s head start) until their next poll
            // writes the configured one.
            migrationBuilder.Sql("UPDATE bridge.video_polls SET urgent_at = last_polled_at + interval '35 seconds' WHERE last_polled_at IS NOT NULL;");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "claim_order",
                schema: "bridge",
                table: "video_polls",
                type: "timestamp with time zone",
                nullable: false,
                computedColumnSql: "GREATEST(LEAST(next_poll_at, urgent_at), claimed_until)",
                stored: true);

            migrationBuilder.CreateIndex(
                name: "ix_video_polls_poe_key_id_claim_order",
                schema: "bridge",
                table: "video_polls",
                columns: new[] { "poe_key_id", "claim_order" });

            migrationBuilder.CreateIndex(
                name: "ix_rate_slots_poe_key_id_available_at_slot",
                schema: "bridge",
                table: "rate_slots",
                columns: new[] { "poe_key_id", "available_at", "slot" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_video_polls_poe_key_id_claim_order",
                schema: "bridge",
                table: "video_polls");

            migrationBuilder.DropIndex(
                name: "ix_rate_slots_poe_key_id_available_at_slot",
                schema: "bridge",
                table: "rate_slots");

            migrationBuilder.DropColumn(
                name: "claim_order",
                schema: "bridge",
                table: "video_polls");

            migrationBuilder.DropColumn(
                name: "urgent_at",
                schema: "bridge",
                table: "video_polls");
        }
    }
}
