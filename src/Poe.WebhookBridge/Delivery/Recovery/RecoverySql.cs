using Npgsql;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Delivery.Recovery;

/// <summary>
/// Every statement that changes <c>bridge.recoveries</c>. A batch's hand-back of dead events is
/// <see cref="WebhookEvents"/>'s statement, run in the transaction that moves this recovery's count and cursor past
/// exactly the events it handed back.
/// </summary>
public sealed class RecoverySql(NpgsqlDataSource dataSource)
{
    // The events a recovery covers: its client's dead events created in the range (until is inclusive, to the
    // second), on its endpoint if it names one. A cancelled watch's events stay dead: its consumer asked for no more.
    internal const string Covered = $"""
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

    // The cursor only moves forward, whatever order two runs of one recovery commit in.
    private const string Advance = """
        UPDATE bridge.recoveries SET queued = queued + $2,
            cursor_created_at = CASE WHEN cursor_created_at IS NULL OR ($3, $4) > (cursor_created_at, cursor_event_id) THEN $3 ELSE cursor_created_at END,
            cursor_event_id = CASE WHEN cursor_created_at IS NULL OR ($3, $4) > (cursor_created_at, cursor_event_id) THEN $4 ELSE cursor_event_id END
        WHERE id = $1
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
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var moved = await WebhookEvents.RequeueRecoveredAsync(connection, transaction, recoveryId, limit, now, cancellationToken);
        if (moved.Count > 0)
        {
            var last = moved[^1];
            await using var advance = SqlCommands.Create(connection, transaction, Advance, recoveryId, moved.Count, last.CreatedAt, last.Id);
            await advance.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return [.. moved.Select(m => m.Id)];
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
