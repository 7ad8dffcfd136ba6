using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Poe.WebhookBridge.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "bridge");

            migrationBuilder.CreateTable(
                name: "idempotency_records",
                schema: "bridge",
                columns: table => new
                {
                    client_name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    key = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    request_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    status_code = table.Column<int>(type: "integer", nullable: false),
                    response_body = table.Column<string>(type: "text", nullable: false),
                    location = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_idempotency_records", x => new { x.client_name, x.key });
                });

            migrationBuilder.CreateTable(
                name: "poe_keys",
                schema: "bridge",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    hold_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    backoff_seconds = table.Column<double>(type: "double precision", nullable: false),
                    unauthorized_since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_poe_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "rate_slots",
                schema: "bridge",
                columns: table => new
                {
                    poe_key_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    slot = table.Column<int>(type: "integer", nullable: false),
                    available_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_rate_slots", x => new { x.poe_key_id, x.slot });
                });

            migrationBuilder.CreateTable(
                name: "video_polls",
                schema: "bridge",
                columns: table => new
                {
                    poe_key_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    video_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    next_poll_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    claimed_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_polled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    failure_count = table.Column<int>(type: "integer", nullable: false),
                    last_status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    last_progress = table.Column<int>(type: "integer", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_video_polls", x => new { x.poe_key_id, x.video_id });
                });

            migrationBuilder.CreateTable(
                name: "watches",
                schema: "bridge",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    client_name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    video_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    callback_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    poe_key_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    events = table.Column<string[]>(type: "text[]", nullable: false),
                    metadata = table.Column<string>(type: "jsonb", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    video = table.Column<string>(type: "jsonb", nullable: true),
                    poll_count = table.Column<int>(type: "integer", nullable: false),
                    last_polled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    failure_reason = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    failure_message = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_watches", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_events",
                schema: "bridge",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    watch_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    client_name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    payload = table.Column<string>(type: "text", nullable: false),
                    callback_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    callback_host = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    attempt_count = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    delivered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_webhook_events_watches_watch_id",
                        column: x => x.watch_id,
                        principalSchema: "bridge",
                        principalTable: "watches",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "delivery_attempts",
                schema: "bridge",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    event_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status_code = table.Column<int>(type: "integer", nullable: true),
                    duration_ms = table.Column<int>(type: "integer", nullable: false),
                    error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_delivery_attempts", x => x.id);
                    table.ForeignKey(
                        name: "fk_delivery_attempts_webhook_events_event_id",
                        column: x => x.event_id,
                        principalSchema: "bridge",
                        principalTable: "webhook_events",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_delivery_attempts_event_id_at",
                schema: "bridge",
                table: "delivery_attempts",
                columns: new[] { "event_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_idempotency_records_created_at",
                schema: "bridge",
                table: "idempotency_records",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_video_polls_next_poll_at",
                schema: "bridge",
                table: "video_polls",
                column: "next_poll_at");

            migrationBuilder.CreateIndex(
                name: "ix_watches_active_created_at",
                schema: "bridge",
                table: "watches",
                column: "created_at",
                filter: "status = 'active'");

            migrationBuilder.CreateIndex(
                name: "ix_watches_active_identity",
                schema: "bridge",
                table: "watches",
                columns: new[] { "client_name", "video_id", "callback_url" },
                unique: true,
                filter: "status = 'active'");

            migrationBuilder.CreateIndex(
                name: "ix_watches_active_video",
                schema: "bridge",
                table: "watches",
                columns: new[] { "poe_key_id", "video_id" },
                filter: "status = 'active'");

            migrationBuilder.CreateIndex(
                name: "ix_watches_client_name_created_at_id",
                schema: "bridge",
                table: "watches",
                columns: new[] { "client_name", "created_at", "id" },
                descending: new[] { false, true, true });

            migrationBuilder.CreateIndex(
                name: "ix_watches_ended_at",
                schema: "bridge",
                table: "watches",
                column: "ended_at",
                filter: "ended_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_events_pending_due",
                schema: "bridge",
                table: "webhook_events",
                column: "next_attempt_at",
                filter: "status = 'pending'");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_events_watch_id_created_at",
                schema: "bridge",
                table: "webhook_events",
                columns: new[] { "watch_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "delivery_attempts",
                schema: "bridge");

            migrationBuilder.DropTable(
                name: "idempotency_records",
                schema: "bridge");

            migrationBuilder.DropTable(
                name: "poe_keys",
                schema: "bridge");

            migrationBuilder.DropTable(
                name: "rate_slots",
                schema: "bridge");

            migrationBuilder.DropTable(
                name: "video_polls",
                schema: "bridge");

            migrationBuilder.DropTable(
                name: "webhook_events",
                schema: "bridge");

            migrationBuilder.DropTable(
                name: "watches",
                schema: "bridge");
        }
    }
}
