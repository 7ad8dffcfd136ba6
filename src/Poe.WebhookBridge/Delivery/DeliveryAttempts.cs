using Npgsql;
using Poe.WebhookBridge.Infrastructure.Data;

namespace Poe.WebhookBridge.Delivery;

/// <summary>Every statement that adds to <c>bridge.delivery_attempts</c>: one row per attempt (retention's purge is in <c>Operations/RetentionSql</c>, with the other tables' purges of one batch of ended watches).</summary>
internal static class DeliveryAttempts
{
    // An event purged by retention while its attempt was in flight has nothing left to record against.
    private const string Insert = """
        INSERT INTO bridge.delivery_attempts (event_id, at, status_code, duration_ms, error, client_name, callback_origin)
        SELECT $1, $2, $3::integer, $4, $5::text, e.client_name, e.callback_origin FROM bridge.webhook_events e WHERE e.id = $1
        """;

    public static void Add(NpgsqlBatch batch, string eventId, AttemptResult result) =>
        SqlCommands.Add(batch, Insert, eventId, result.At, (object?)result.StatusCode, (int)Math.Min(int.MaxValue, result.Duration.TotalMilliseconds),
            (object?)AttemptResult.Shorten(result.Error));
}
