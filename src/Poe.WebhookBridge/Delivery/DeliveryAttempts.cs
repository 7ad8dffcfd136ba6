using Npgsql;
using Poe.WebhookBridge.Infrastructure.Data;

namespace Poe.WebhookBridge.Delivery;

/// <summary>Every statement that changes <c>bridge.delivery_attempts</c>: one row per attempt, and retention's purge.</summary>
internal static class DeliveryAttempts
{
    // An event purged by retention while its attempt was in flight has nothing left to record against.
    private const string Insert = """
        INSERT INTO bridge.delivery_attempts (event_id, at, status_code, duration_ms, error)
        SELECT $1, $2, $3::integer, $4, $5::text WHERE EXISTS (SELECT 1 FROM bridge.webhook_events WHERE id = $1)
        """;

    private const string PurgeOfEndedWatches = $"""
        DELETE FROM bridge.delivery_attempts WHERE id IN (
            SELECT a.id FROM bridge.delivery_attempts a
            JOIN bridge.webhook_events e ON e.id = a.event_id
            JOIN bridge.watches w ON w.id = e.watch_id
            WHERE w.ended_at < $1 AND NOT EXISTS ({WebhookEvents.UnsettledEventOfWatch})
            LIMIT $2 FOR UPDATE OF a SKIP LOCKED)
        """;

    public static void Add(NpgsqlBatch batch, string eventId, AttemptResult result) =>
        SqlCommands.Add(batch, Insert, eventId, result.At, (object?)result.StatusCode, (int)Math.Min(int.MaxValue, result.Duration.TotalMilliseconds),
            (object?)AttemptResult.Shorten(result.Error));

    /// <summary>Deletes at most <paramref name="limit"/> attempts of watches ended before <paramref name="endedBefore"/> whose events have all settled.</summary>
    public static async Task<int> PurgeOfEndedWatchesAsync(NpgsqlDataSource dataSource, DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(dataSource, PurgeOfEndedWatches, endedBefore, limit);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
