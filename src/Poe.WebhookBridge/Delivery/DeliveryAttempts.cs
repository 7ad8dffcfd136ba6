using Npgsql;
using Poe.WebhookBridge.Infrastructure.Data;

namespace Poe.WebhookBridge.Delivery;

/// <summary>Every statement that changes <c>bridge.delivery_attempts</c>: one row per attempt, and retention's purge.</summary>
internal static class DeliveryAttempts
{
    // An event purged by retention while its attempt was in flight has nothing left to record against.
    private const string Insert = """
        INSERT INTO bridge.delivery_attempts (event_id, at, status_code, duration_ms, error, client_name, callback_origin)
        SELECT $1, $2, $3::integer, $4, $5::text, e.client_name, e.callback_origin FROM bridge.webhook_events e WHERE e.id = $1
        """;

    // Only for watches none of whose events is pending or held (see WebhookEvents.PurgeSql).
    public const string PurgeSql = $"""
        DELETE FROM bridge.delivery_attempts a USING bridge.webhook_events e
        WHERE a.event_id = e.id AND e.watch_id = ANY($1)
          AND NOT EXISTS (SELECT 1 FROM bridge.webhook_events p WHERE p.watch_id = e.watch_id AND p.status IN ('{DeliveryStatus.Pending}', '{DeliveryStatus.Held}'))
        """;

    public static void Add(NpgsqlBatch batch, string eventId, AttemptResult result) =>
        SqlCommands.Add(batch, Insert, eventId, result.At, (object?)result.StatusCode, (int)Math.Min(int.MaxValue, result.Duration.TotalMilliseconds),
            (object?)AttemptResult.Shorten(result.Error));

    public static async Task<int> PurgeAsync(NpgsqlDataSource dataSource, string[] watchIds, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(dataSource, PurgeSql, (object)watchIds);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
