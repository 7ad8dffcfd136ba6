using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Poe.WebhookBridge.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class VideoPollUrgencyOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_video_polls_last_polled_at",
                schema: "bridge",
                table: "video_polls",
                column: "last_polled_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_video_polls_last_polled_at",
                schema: "bridge",
                table: "video_polls");
        }
    }
}
