using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Poe.WebhookBridge.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class AdaptiveEstimates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "end_spread_seconds",
                schema: "bridge",
                table: "video_polls",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "expected_end_at",
                schema: "bridge",
                table: "video_polls",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "end_spread_seconds",
                schema: "bridge",
                table: "video_polls");

            migrationBuilder.DropColumn(
                name: "expected_end_at",
                schema: "bridge",
                table: "video_polls");
        }
    }
}
