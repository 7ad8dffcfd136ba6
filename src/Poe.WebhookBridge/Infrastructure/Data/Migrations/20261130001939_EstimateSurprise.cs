using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Poe.WebhookBridge.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class EstimateSurprise : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "surprise",
                schema: "bridge",
                table: "duration_stats",
                type: "double precision",
                nullable: false,
                defaultValue: 1.0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "surprise",
                schema: "bridge",
                table: "duration_stats");
        }
    }
}
