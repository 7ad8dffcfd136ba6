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

            migrationBuilder.CreateTable(
                name: "video_objects",
                schema: "bridge",
                columns: table => new
                {
                    poe_key_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    video_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    video = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_video_objects", x => new { x.poe_key_id, x.video_id });
                    table.ForeignKey(
                        name: "fk_video_objects_video_polls_poe_key_id_video_id",
                        columns: x => new { x.poe_key_id, x.video_id },
                        principalSchema: "bridge",
                        principalTable: "video_polls",
                        principalColumns: new[] { "poe_key_id", "video_id" },
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "video_objects",
                schema: "bridge");

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
        }
    }
}
