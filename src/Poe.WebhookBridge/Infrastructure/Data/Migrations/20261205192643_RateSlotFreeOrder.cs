using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Poe.WebhookBridge.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class RateSlotFreeOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
                name: "ix_rate_slots_poe_key_id_available_at_slot",
                schema: "bridge",
                table: "rate_slots");
        }
    }
}
