using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Infrastructure;

/// <summary>
/// A database of its own with the bridge's schema and <see cref="Rows"/> watches and events across 200 clients (10 %
/// ended, 1 % of events pending, 1 % dead, 0.5 % held), an attempt per event, a tenth as many idempotency records and
/// gateway requests, then VACUUM ANALYZE: large enough that a statement reading the whole of a table reads 50,000 rows.
/// </summary>
public sealed class CostAtScaleDatabase : IAsyncLifetime
{
    public const int Rows = 50_000;

    // Row g belongs to client c{g % 200}, calls back origin http://10.0.0.{g % 10}:8080 and is created over 30 days, oldest first.
    private const string SeedSql = """
        INSERT INTO bridge.watches (id, client_name, video_id, callback_url, poe_key_id, events, metadata, status, poll_count, created_at, ended_at)
        SELECT 'watch_' || lpad(g::text, 10, '0'), 'c' || (g % 200), 'video_' || g, 'http://10.0.0.' || (g % 10) || ':8080/hook',
               'pk_' || (g % 200), '{video.completed}', '{}', CASE WHEN g % 10 = 0 THEN 'completed' ELSE 'active' END, 0,
               now() - interval '30 days' + (g::float / @n) * interval '30 days',
               CASE WHEN g % 10 = 0 THEN now() - interval '60 days' + (g::float / @n) * interval '60 days' END
        FROM generate_series(0, @n - 1) g;
        INSERT INTO bridge.video_polls (poe_key_id, video_id, next_poll_at, failure_count, created_at)
        SELECT 'pk_' || (g % 200), 'video_' || g, now() - random() * interval '1 minute', 0, now()
        FROM generate_series(0, @n - 1) g WHERE g % 10 <> 0;
        INSERT INTO bridge.endpoints (id, client_name, url, status, failed_attempts, created_at)
        SELECT 'ep_' || c || '_' || h, 'c' || c, 'http://10.0.0.' || h || ':8080', CASE WHEN h = 9 AND c % 20 = 0 THEN 'disabled' ELSE 'enabled' END, 0, now()
        FROM generate_series(0, 199) c, generate_series(0, 9) h;
        ALTER TABLE bridge.webhook_events DISABLE TRIGGER hold_events_of_disabled_endpoints;
        INSERT INTO bridge.webhook_events (id, watch_id, client_name, type, payload, callback_url, callback_host, callback_origin, created_at, status,
                                           attempt_count, next_attempt_at, delivered_at)
        SELECT 'evt_' || lpad(g::text, 10, '0'), 'watch_' || lpad(g::text, 10, '0'), 'c' || (g % 200), 'video.completed', '{}',
               'http://10.0.0.' || (g % 10) || ':8080/hook', '10.0.0.' || (g % 10), 'http://10.0.0.' || (g % 10) || ':8080',
               now() - interval '30 days' + (g::float / @n) * interval '30 days',
               CASE WHEN g % 100 = 1 THEN 'pending' WHEN g % 100 = 2 THEN 'failed' WHEN g % 200 = 3 THEN 'held' ELSE 'delivered' END, 1,
               CASE WHEN g % 100 = 1 THEN now() + (g % 7 - 3) * interval '1 hour' END, CASE WHEN g % 100 > 3 THEN now() END
        FROM generate_series(0, @n - 1) g;
        ALTER TABLE bridge.webhook_events ENABLE TRIGGER hold_events_of_disabled_endpoints;
        INSERT INTO bridge.delivery_attempts (event_id, at, status_code, duration_ms, client_name, callback_origin)
        SELECT 'evt_' || lpad(g::text, 10, '0'), now() - interval '30 days' + (g::float / @n) * interval '30 days',
               CASE WHEN g % 100 = 2 THEN 500 ELSE 200 END, 5, 'c' || (g % 200), 'http://10.0.0.' || (g % 10) || ':8080'
        FROM generate_series(0, @n - 1) g;
        INSERT INTO bridge.idempotency_records (client_name, key, request_hash, status_code, response_body, created_at)
        SELECT 'c' || (g % 200), 'key-' || g, 'h', 201, '{}', now() - interval '48 hours' + (g::float / (@n / 10)) * interval '48 hours'
        FROM generate_series(0, @n / 10 - 1) g;
        INSERT INTO bridge.gateway_requests (client_name, key, request_hash, operation, state, owner, started_at, unknown_after, status_code, completed_at)
        SELECT 'c' || (g % 200), 'gw-' || g, 'h', 'create', 'done', 'o', now() - interval '48 hours' + (g::float / (@n / 10)) * interval '48 hours', now(), 201,
               now() - interval '48 hours' + (g::float / (@n / 10)) * interval '48 hours'
        FROM generate_series(0, @n / 10 - 1) g;
        INSERT INTO bridge.recoveries (id, client_name, since, status, matched, queued, created_at)
        VALUES ('rec_scale', 'c2', now() - interval '3 days', 'running', 0, 0, now());
        """;

    public string ConnectionString { get; private set; } = "";

    /// <summary>Row g's id in a table whose ids are <paramref name="prefix"/> and g padded to 10 digits.</summary>
    public static string Id(string prefix, int g) => prefix + g.ToString("D10", CultureInfo.InvariantCulture);

    public BridgeDbContext Context(params Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor[] interceptors) => new(
        new DbContextOptionsBuilder<BridgeDbContext>()
            .UseNpgsql(ConnectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", BridgeDbContext.Schema))
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(interceptors)
            .Options);

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task InitializeAsync()
    {
        ConnectionString = new NpgsqlConnectionStringBuilder(await PostgresServer.CreateDatabaseAsync("scale")) { CommandTimeout = 300 }.ConnectionString;
        await using (var db = Context())
        {
            await db.Database.MigrateAsync();
        }

        await using var connection = await OpenAsync();
        await using (var seed = new NpgsqlCommand(SeedSql.Replace("@n", Rows.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal), connection))
        {
            await seed.ExecuteNonQueryAsync();
        }

        await using var analyze = new NpgsqlCommand("VACUUM ANALYZE", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync() => PostgresServer.DropDatabaseAsync(ConnectionString);
}
