using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Poe.WebhookBridge.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class AdaptivePolling : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "model",
                schema: "bridge",
                table: "video_polls",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "progress_started_at",
                schema: "bridge",
                table: "video_polls",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "progress_started_value",
                schema: "bridge",
                table: "video_polls",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "video_created_at",
                schema: "bridge",
                table: "video_polls",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "video_seconds",
                schema: "bridge",
                table: "video_polls",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "duration_stats",
                schema: "bridge",
                columns: table => new
                {
                    model = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    video_seconds = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    samples = table.Column<int>(type: "integer", nullable: false),
                    mean_seconds = table.Column<double>(type: "double precision", nullable: false),
                    deviation_seconds = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_duration_stats", x => new { x.model, x.video_seconds });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "duration_stats",
                schema: "bridge");

            migrationBuilder.DropColumn(
                name: "model",
                schema: "bridge",
                table: "video_polls");

            migrationBuilder.DropColumn(
                name: "progress_started_at",
                schema: "bridge",
                table: "video_polls");

            migrationBuilder.DropColumn(
                name: "progress_started_value",
                schema: "bridge",
                table: "video_polls");

            migrationBuilder.DropColumn(
                name: "video_created_at",
                schema: "bridge",
                table: "video_polls");

            migrationBuilder.DropColumn(
                name: "video_seconds",
                schema: "bridge",
                table: "video_polls");
        }
    }
}
