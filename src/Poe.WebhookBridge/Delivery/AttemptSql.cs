using Npgsql;

namespace Poe.WebhookBridge.Delivery;

/// <summary>The statements that store one attempt and move its event (and, on 410, its watch) to the next state.</summary>
internal static class AttemptSql
{
    // An event purged by retention while its attempt was in flight has nothing left to record against.
    private const string InsertAttempt = """
        INSERT INTO bridge.delivery_attempts (event_id, at, status_code, duration_ms, error, client_name, callback_origin)
        SELECT $1, $2, $3::integer, $4, $5::text, e.client_name, e.callback_origin FROM bridge.webhook_events e WHERE e.id = $1
        """;

    private const string CountAttempt = "UPDATE bridge.webhook_events SET attempt_count = attempt_count + 1 WHERE id = $1";

    // Only while we still hold the lease: a redelivery or another instance's claim since then owns the next state.
    // A success is recorded even on an event ended or held meanwhile (cancelled, dead, endpoint disabled), because the consumer has it.
    private const string MoveEvent = """
        UPDATE bridge.webhook_events
        SET status = $2, next_attempt_at = $3, delivered_at = coalesce($4, delivered_at)
        WHERE id = $1 AND ((status = 'pending' AND next_attempt_at = $5) OR ($2 = 'delivered' AND status IN ('failed', 'held')))
        """;

    private const string CancelWatch = """
        UPDATE bridge.watches SET status = 'cancelled', ended_at = $2 WHERE id = $1 AND status = 'active'
        """;

    private const string DropWatchEvents = """
        UPDATE bridge.webhook_events SET status = 'failed', next_attempt_at = NULL WHERE watch_id = $1 AND status IN ('pending', 'held')
        """;

    /// <returns>The statement that moves the event, whose RecordsAffected says whether this attempt still owned it.</returns>
    public static NpgsqlBatchCommand AddTo(NpgsqlBatch batch, AttemptWriteback writeback)
    {
        var (webhook, result) = (writeback.Event, writeback.Result);
        Add(batch, InsertAttempt, webhook.Id, result.At, (object?)result.StatusCode, (int)Math.Min(int.MaxValue, result.Duration.TotalMilliseconds),
            (object?)AttemptResult.Shorten(result.Error));
        Add(batch, CountAttempt, webhook.Id);
        var move = Add(batch, MoveEvent, webhook.Id, writeback.NewStatus, (object?)writeback.NextAttemptAt,
            result.Delivered ? result.At + result.Duration : null, webhook.Lease);
        if (result.Gone)
        {
            Add(batch, CancelWatch, webhook.WatchId, result.At + result.Duration);
            Add(batch, DropWatchEvents, webhook.WatchId);
        }

        return move;
    }

    internal static NpgsqlBatchCommand Add(NpgsqlBatch batch, string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        batch.BatchCommands.Add(command);
        return command;
    }
}
