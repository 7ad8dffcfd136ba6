using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Poe.WebhookBridge.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class EndpointAttemptsIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "callback_origin",
                schema: "bridge",
                table: "delivery_attempts",
                type: "character varying(2048)",
                maxLength: 2048,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "client_name",
                schema: "bridge",
                table: "delivery_attempts",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            // Attempts made before this migration keep counting for their endpoint.
            migrationBuilder.Sql("""
                UPDATE bridge.delivery_attempts a SET client_name = e.client_name, callback_origin = e.callback_origin
                FROM bridge.webhook_events e WHERE e.id = a.event_id
                """);

            migrationBuilder.CreateIndex(
                name: "ix_delivery_attempts_endpoint_at",
                schema: "bridge",
                table: "delivery_attempts",
                columns: new[] { "client_name", "callback_origin", "at" })
                .Annotation("Npgsql:IndexInclude", new[] { "status_code" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_delivery_attempts_endpoint_at",
                schema: "bridge",
                table: "delivery_attempts");

            migrationBuilder.DropColumn(
                name: "callback_origin",
                schema: "bridge",
                table: "delivery_attempts");

            migrationBuilder.DropColumn(
                name: "client_name",
                schema: "bridge",
                table: "delivery_attempts");
        }
    }
}
