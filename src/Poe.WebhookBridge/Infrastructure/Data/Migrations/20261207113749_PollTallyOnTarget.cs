using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Poe.WebhookBridge.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class PollTallyOnTarget : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "poll_base",
                schema: "bridge",
                table: "watches",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "poll_count",
                schema: "bridge",
                table: "video_polls",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "poll_sent_at",
                schema: "bridge",
                table: "video_polls",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "video",
                schema: "bridge",
                table: "video_polls",
                type: "jsonb",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "poll_base",
                schema: "bridge",
                table: "watches");

            migrationBuilder.DropColumn(
                name: "poll_count",
                schema: "bridge",
                table: "video_polls");

            migrationBuilder.DropColumn(
                name: "poll_sent_at",
                schema: "bridge",
                table: "video_polls");

            migrationBuilder.DropColumn(
                name: "video",
                schema: "bridge",
                table: "video_polls");
        }
    }
}
