using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Poe.WebhookBridge.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class DeliveryOperations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "callback_origin",
                schema: "bridge",
                table: "webhook_events",
                type: "character varying(2048)",
                maxLength: 2048,
                nullable: false,
                defaultValue: "");

            // Events stored before endpoints existed get the origin EndpointOrigin.Of writes: scheme://host:port, lower
            // case, the default port written out.
            migrationBuilder.Sql("""
                UPDATE bridge.webhook_events
                SET callback_origin = lower(substring(callback_url from '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*'))
                    || CASE WHEN substring(callback_url from '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*') ~ ':[0-9]+$' THEN ''
                            WHEN lower(callback_url) LIKE 'https:%' THEN ':443' ELSE ':80' END
                """);

            migrationBuilder.CreateTable(
                name: "endpoints",
                schema: "bridge",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    client_name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    failing_since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    failed_attempts = table.Column<int>(type: "integer", nullable: false),
                    last_success_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    disabled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_endpoints", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "recoveries",
                schema: "bridge",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    client_name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    endpoint_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    endpoint_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    matched = table.Column<int>(type: "integer", nullable: false),
                    queued = table.Column<int>(type: "integer", nullable: false),
                    cursor_created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    cursor_event_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_recoveries", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_webhook_events_dead",
                schema: "bridge",
                table: "webhook_events",
                columns: new[] { "client_name", "created_at", "id" },
                filter: "status = 'failed'");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_events_endpoint_undelivered",
                schema: "bridge",
                table: "webhook_events",
                columns: new[] { "client_name", "callback_origin", "status" },
                filter: "status IN ('pending', 'held', 'failed')");

            migrationBuilder.CreateIndex(
                name: "ix_delivery_attempts_at",
                schema: "bridge",
                table: "delivery_attempts",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_endpoints_client_name_url",
                schema: "bridge",
                table: "endpoints",
                columns: new[] { "client_name", "url" },
                unique: true);

            // An event of a disabled endpoint is never pending: one stored, redelivered or recovered while its endpoint
            // is disabled is held instead, whichever path writes it (the polling, the API, a recovery, the dashboard).
            // A retry (pending to pending) does not look the endpoint up.
            migrationBuilder.Sql("""
                CREATE FUNCTION bridge.hold_events_of_disabled_endpoints() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.status = 'pending' AND (TG_OP = 'INSERT' OR OLD.status <> 'pending')
                       AND EXISTS (SELECT 1 FROM bridge.endpoints
                                   WHERE client_name = NEW.client_name AND url = NEW.callback_origin AND status = 'disabled') THEN
                        NEW.status := 'held';
                        NEW.next_attempt_at := NULL;
                    END IF;
                    RETURN NEW;
                END
                $$;
                CREATE TRIGGER hold_events_of_disabled_endpoints BEFORE INSERT OR UPDATE OF status ON bridge.webhook_events
                    FOR EACH ROW EXECUTE FUNCTION bridge.hold_events_of_disabled_endpoints();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER hold_events_of_disabled_endpoints ON bridge.webhook_events;
                DROP FUNCTION bridge.hold_events_of_disabled_endpoints();
                UPDATE bridge.webhook_events SET status = 'pending', next_attempt_at = now() WHERE status = 'held';
                """);

            migrationBuilder.DropTable(
                name: "endpoints",
                schema: "bridge");

            migrationBuilder.DropTable(
                name: "recoveries",
                schema: "bridge");

            migrationBuilder.DropIndex(
                name: "ix_webhook_events_dead",
                schema: "bridge",
                table: "webhook_events");

            migrationBuilder.DropIndex(
                name: "ix_webhook_events_endpoint_undelivered",
                schema: "bridge",
                table: "webhook_events");

            migrationBuilder.DropIndex(
                name: "ix_delivery_attempts_at",
                schema: "bridge",
                table: "delivery_attempts");

            migrationBuilder.DropColumn(
                name: "callback_origin",
                schema: "bridge",
                table: "webhook_events");
        }
    }
}
