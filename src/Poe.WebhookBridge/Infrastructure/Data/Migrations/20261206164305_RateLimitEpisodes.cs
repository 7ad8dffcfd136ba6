using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Poe.WebhookBridge.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class RateLimitEpisodes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "rate_limited_until",
                schema: "bridge",
                table: "poe_keys",
                type: "timestamp with time zone",
                nullable: false,
                defaultValueSql: "'epoch'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "rate_limited_until",
                schema: "bridge",
                table: "poe_keys");
        }
    }
}
