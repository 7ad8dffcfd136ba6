using Npgsql;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Delivery.Recovery;

/// <summary>
/// Every statement that changes <c>bridge.recoveries</c>, with the hand-back of dead events it counts: the only write
/// of <c>bridge.webhook_events</c> outside <see cref="WebhookEvents"/>, because one statement moves the events and the
/// recovery's cursor past them, so the count and the cursor always describe exactly the events handed back.
/// </summary>
public sealed class RecoverySql(NpgsqlDataSource dataSource)
{
    // The events a recovery covers: its client's dead events created in the range (until is inclusive, to the
    // second), on its endpoint if it names one. A cancelled watch's events stay dead: its consumer asked for no more.
    private const string Covered = $"""
        e.client_name = r.client_name AND e.status = '{DeliveryStatus.Failed}'
        AND e.created_at >= r.since AND (r.until IS NULL OR e.created_at < r.until + interval '1 second')
        AND (r.endpoint_url IS NULL OR e.callback_origin = r.endpoint_url)
        AND NOT EXISTS (SELECT 1 FROM bridge.watches w WHERE w.id = e.watch_id AND w.status = '{WatchStatus.Cancelled}')
        """;

    private const string Insert = $"""
        INSERT INTO bridge.recoveries (id, client_name, since, until, endpoint_id, endpoint_url, status, matched, queued, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, '{RecoveryStatus.Running}', 0, 0, $7)
        """;

    internal const string Match = $"""
        UPDATE bridge.recoveries AS target SET matched = (SELECT count(*) FROM bridge.recoveries r JOIN bridge.webhook_events e ON {Covered} WHERE r.id = $1)
        WHERE target.id = $1
        """;

    // Walks the range in creation order from the cursor, so an event it handed back that dies again is not handed back
    // twice by this recovery; an event another recovery has pending is not dead, so overlapping ones never both send it.
    internal const string RequeueNext = $"""
        WITH picked AS (
            SELECT e.id, e.created_at FROM bridge.recoveries r JOIN bridge.webhook_events e ON {Covered}
            WHERE r.id = $1 AND r.status = '{RecoveryStatus.Running}'
              AND (r.cursor_created_at IS NULL OR (e.created_at, e.id) > (r.cursor_created_at, r.cursor_event_id))
            ORDER BY e.created_at, e.id
            LIMIT $2
            FOR UPDATE OF e SKIP LOCKED
        ), moved AS (
            UPDATE bridge.webhook_events e SET status = '{DeliveryStatus.Pending}', next_attempt_at = $3 FROM picked WHERE e.id = picked.id
            RETURNING e.id, e.created_at
        ), last AS (
            SELECT id, created_at FROM moved ORDER BY created_at DESC, id DESC LIMIT 1
        ), progress AS (
            UPDATE bridge.recoveries SET queued = queued + (SELECT count(*) FROM moved),
                cursor_created_at = coalesce((SELECT created_at FROM last), cursor_created_at),
                cursor_event_id = coalesce((SELECT id FROM last), cursor_event_id)
            WHERE id = $1
        )
        SELECT id FROM moved
        """;

    private const string Complete = $"UPDATE bridge.recoveries SET status = '{RecoveryStatus.Completed}', finished_at = $2 WHERE id = $1 AND status = '{RecoveryStatus.Running}'";

    private const string CountPending = $"SELECT count(*) FROM bridge.webhook_events WHERE id = ANY($1) AND status = '{DeliveryStatus.Pending}'";

    /// <summary>Stores a running recovery with its <c>matched</c> count, in one transaction.</summary>
    public async Task CreateAsync(Recovery recovery, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        SqlCommands.Add(batch, Insert, recovery.Id, recovery.ClientName, recovery.Since, recovery.Until, recovery.EndpointId, recovery.EndpointUrl, recovery.CreatedAt);
        SqlCommands.Add(batch, Match, recovery.Id);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Hands the next dead events of the range back to delivery, due at <paramref name="now"/>; none when it is done.</summary>
    public async Task<List<string>> RequeueNextAsync(string recoveryId, int limit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(dataSource, RequeueNext, recoveryId, limit, now);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>How many of these events still wait for an attempt.</summary>
    public async Task<long> CountPendingAsync(List<string> eventIds, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(dataSource, CountPending, (object)eventIds.ToArray()); // one text[] parameter, not one per id
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task CompleteAsync(string recoveryId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(dataSource, Complete, recoveryId, now);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
