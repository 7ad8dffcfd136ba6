using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Poe.WebhookBridge.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class ScaleIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_watches_client_name_status_created_at_id",
                schema: "bridge",
                table: "watches",
                columns: new[] { "client_name", "status", "created_at", "id" },
                descending: new[] { false, false, true, true });

            migrationBuilder.CreateIndex(
                name: "ix_watches_client_name_video_id",
                schema: "bridge",
                table: "watches",
                columns: new[] { "client_name", "video_id" });

            migrationBuilder.CreateIndex(
                name: "ix_gateway_requests_done_completed_at",
                schema: "bridge",
                table: "gateway_requests",
                column: "completed_at",
                filter: "state = 'done'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_watches_client_name_status_created_at_id",
                schema: "bridge",
                table: "watches");

            migrationBuilder.DropIndex(
                name: "ix_watches_client_name_video_id",
                schema: "bridge",
                table: "watches");

            migrationBuilder.DropIndex(
                name: "ix_gateway_requests_done_completed_at",
                schema: "bridge",
                table: "gateway_requests");
        }
    }
}
