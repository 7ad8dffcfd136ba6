using Npgsql;
using Poe.WebhookBridge.Delivery.Recovery;
using Poe.WebhookBridge.Endpoints;
using Poe.WebhookBridge.Infrastructure;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Delivery;

/// <summary>
/// Every statement that changes <c>bridge.webhook_events</c> (the outbox), each as raw SQL with positional parameters
/// and the status values of <see cref="DeliveryStatus"/>. A new row (<see cref="Create"/>, <see cref="AddInsert"/>) is
/// written in the transaction that stores the state it reports. One other writer is named where it must be one
/// statement with another table: the trigger <c>hold_events_of_disabled_endpoints</c>.
/// </summary>
internal static class WebhookEvents
{
    /// <summary>
    /// Leases due events ($1 now) to this process: SKIP LOCKED lets instances claim side by side, hosts in $2 are
    /// saturated and never scanned, $3 candidates at most, a host in $4 gets at most its free count in $5 and any
    /// other host at most $6, $7 rows in all, each leased until $8.
    /// </summary>
    public const string Claim = $"""
        WITH candidates AS (
            SELECT id, callback_host, next_attempt_at
            FROM bridge.webhook_events
            WHERE status = '{DeliveryStatus.Pending}' AND next_attempt_at <= $1 AND callback_host <> ALL($2)
              AND NOT EXISTS (SELECT 1 FROM bridge.endpoints d
                              WHERE d.status = '{EndpointStatus.Disabled}' AND d.client_name = webhook_events.client_name AND d.url = webhook_events.callback_origin)
            ORDER BY next_attempt_at
            LIMIT $3
            FOR UPDATE SKIP LOCKED
        ), ranked AS (
            SELECT id, callback_host, next_attempt_at,
                   row_number() OVER (PARTITION BY callback_host ORDER BY next_attempt_at) AS host_rank
            FROM candidates
        ), picked AS (
            SELECT r.id
            FROM ranked r
            LEFT JOIN unnest($4::text[], $5::int[]) AS busy(host, free) ON busy.host = r.callback_host
            WHERE r.host_rank <= coalesce(busy.free, $6)
            ORDER BY r.next_attempt_at
            LIMIT $7
        )
        UPDATE bridge.webhook_events AS e
        SET next_attempt_at = $8
        FROM picked
        WHERE e.id = picked.id
        RETURNING e.id, e.watch_id, e.client_name, e.payload, e.callback_url, e.callback_host, e.created_at, e.attempt_count, e.next_attempt_at
        """;

    private const string Insert = """
        INSERT INTO bridge.webhook_events (id, watch_id, client_name, type, payload, callback_url, callback_host, callback_origin, created_at, status, attempt_count, next_attempt_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
        """;

    // A recovery's next batch ($1 recovery, $2 rows, due at $3): its client's dead events of the range walked in creation
    // order from its cursor, so an event it handed back that dies again is not handed back twice by this recovery; an
    // event another recovery has pending is not dead, so overlapping ones never both send it.
    internal const string RequeueRecoveredSql = $"""
        WITH picked AS (
            SELECT e.id FROM bridge.recoveries r JOIN bridge.webhook_events e ON {RecoverySql.Covered}
            WHERE r.id = $1 AND r.status = '{RecoveryStatus.Running}'
              AND (r.cursor_created_at IS NULL OR (e.created_at, e.id) > (r.cursor_created_at, r.cursor_event_id))
            ORDER BY e.created_at, e.id
            LIMIT $2
            FOR UPDATE OF e SKIP LOCKED
        ), moved AS (
            UPDATE bridge.webhook_events e SET status = '{DeliveryStatus.Pending}', next_attempt_at = $3 FROM picked WHERE e.id = picked.id
            RETURNING e.id, e.created_at
        )
        SELECT id, created_at FROM moved ORDER BY created_at, id
        """;

    private const string CountAttempt = "UPDATE bridge.webhook_events SET attempt_count = attempt_count + 1 WHERE id = $1";

    // Only while we still hold the lease: a redelivery or another instance's claim since then owns the next state.
    // A success is recorded even on an event ended or held meanwhile (cancelled, dead, endpoint disabled), because the consumer has it.
    private const string MoveAfterAttempt = $"""
        UPDATE bridge.webhook_events
        SET status = $2, next_attempt_at = $3, delivered_at = coalesce($4, delivered_at)
        WHERE id = $1 AND ((status = '{DeliveryStatus.Pending}' AND next_attempt_at = $5)
            OR ($2 = '{DeliveryStatus.Delivered}' AND status IN ('{DeliveryStatus.Failed}', '{DeliveryStatus.Held}')))
        """;

    private const string DropUndelivered = $"""
        UPDATE bridge.webhook_events SET status = '{DeliveryStatus.Failed}', next_attempt_at = NULL
        WHERE watch_id = $1 AND status IN ('{DeliveryStatus.Pending}', '{DeliveryStatus.Held}')
        """;

    // Whatever the event's state: a redelivery is a new attempt the consumer asked for. $3 (the asking client) null
    // means any client's, for the dashboard.
    private const string Redeliver = $"""
        UPDATE bridge.webhook_events SET status = '{DeliveryStatus.Pending}', next_attempt_at = $2
        WHERE id = $1 AND ($3::text IS NULL OR client_name = $3)
        """;

    // Also catches an event that became pending while the endpoint was being disabled (its insert raced the disable).
    // The EXISTS depends on parameters only, so for an enabled endpoint PostgreSQL skips the scan altogether.
    private const string Hold = $"""
        UPDATE bridge.webhook_events SET status = '{DeliveryStatus.Held}', next_attempt_at = NULL
        WHERE client_name = $1 AND callback_origin = $2 AND status = '{DeliveryStatus.Pending}'
          AND EXISTS (SELECT 1 FROM bridge.endpoints WHERE client_name = $1 AND url = $2 AND status = '{EndpointStatus.Disabled}')
        """;

    // A progress webhook not yet sent (a row already claimed is past 'now') or held for a disabled endpoint.
    private const string UnsentProgress = $"""
        type = '{WatchEventTypes.VideoProgress}'
        AND (status = '{DeliveryStatus.Held}' OR (status = '{DeliveryStatus.Pending}' AND attempt_count = 0 AND next_attempt_at <= $2))
        """;

    // Locked so a delivery claim cannot take the row while its body changes.
    private const string LockUnsentProgress = $"SELECT id, watch_id, created_at FROM bridge.webhook_events WHERE watch_id = ANY($1) AND {UnsentProgress} FOR UPDATE SKIP LOCKED";

    private const string Rewrite = "UPDATE bridge.webhook_events SET payload = $2 WHERE id = $1";

    private const string DropUnsentProgress = $"DELETE FROM bridge.webhook_events WHERE watch_id = ANY($1) AND {UnsentProgress}";

    // Each purge of retention repeats the rule that keeps a watch with an event still pending delivery (a redelivery,
    // or a retention period shorter than the retry schedule) or held for a disabled endpoint: one may have become so
    // since the batch was picked.
    public const string PurgeSql = $"""
        DELETE FROM bridge.webhook_events e
        WHERE e.watch_id = ANY($1)
          AND NOT EXISTS (SELECT 1 FROM bridge.webhook_events p WHERE p.watch_id = e.watch_id AND p.status IN ('{DeliveryStatus.Pending}', '{DeliveryStatus.Held}'))
        """;

    internal const string Release = $"""
        UPDATE bridge.webhook_events SET status = '{DeliveryStatus.Pending}', next_attempt_at = $3
        WHERE client_name = $1 AND callback_origin = $2 AND status = '{DeliveryStatus.Held}'
        """;

    /// <summary>A pending outbox row for a watch, due at once. Add it in the transaction that stores the state it reports.</summary>
    public static WebhookEvent Create(Watch watch, string type, DateTimeOffset now, string? videoJson, WatchFailure? failure = null)
    {
        var id = Ids.NewEventId();
        return new WebhookEvent
        {
            Id = id,
            WatchId = watch.Id,
            ClientName = watch.ClientName,
            Type = type,
            Payload = WebhookPayload.Build(id, type, now, watch, videoJson, failure),
            CallbackUrl = watch.CallbackUrl,
            CallbackHost = new Uri(watch.CallbackUrl).Host,
            CallbackOrigin = EndpointOrigin.Of(watch.CallbackUrl),
            CreatedAt = now,
            NextAttemptAt = now,
        };
    }

    /// <returns>The statement that moves the event, whose RecordsAffected says whether this attempt still owned it.</returns>
    public static NpgsqlBatchCommand AddAttemptOutcome(NpgsqlBatch batch, AttemptWriteback writeback)
    {
        var (webhook, result) = (writeback.Event, writeback.Result);
        SqlCommands.Add(batch, CountAttempt, webhook.Id);
        return SqlCommands.Add(batch, MoveAfterAttempt, webhook.Id, writeback.NewStatus, (object?)writeback.NextAttemptAt,
            result.Delivered ? result.At + result.Duration : null, webhook.Lease);
    }

    /// <summary>Fails every undelivered event of a watch (held ones too): nobody wants them once the watch is cancelled.</summary>
    public static void AddDropUndelivered(NpgsqlBatch batch, string watchId) => SqlCommands.Add(batch, DropUndelivered, watchId);

    /// <summary>Makes the event due at <paramref name="now"/>, whatever its state, if it is <paramref name="clientName"/>'s (any client's when null).</summary>
    /// <returns>Whether such an event exists.</returns>
    public static async Task<bool> RedeliverAsync(
        NpgsqlDataSource dataSource, string eventId, string? clientName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(dataSource, Redeliver, eventId, now, clientName);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Holds the endpoint's pending events if it is disabled (by this batch or before).</summary>
    public static void AddHold(NpgsqlBatch batch, string clientName, string endpointUrl) => SqlCommands.Add(batch, Hold, clientName, endpointUrl);

    /// <returns>How many held events of the endpoint became due at <paramref name="now"/>.</returns>
    public static async Task<int> ReleaseAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string clientName, string endpointUrl, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(connection, transaction, Release, clientName, endpointUrl, now);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Adds the new row to the batch that stores the state it reports: both are stored, or neither.</summary>
    public static void AddInsert(NpgsqlBatch batch, WebhookEvent webhook) =>
        SqlCommands.Add(batch, Insert, webhook.Id, webhook.WatchId, webhook.ClientName, webhook.Type, webhook.Payload, webhook.CallbackUrl,
            webhook.CallbackHost, webhook.CallbackOrigin, webhook.CreatedAt, webhook.Status, webhook.AttemptCount, (object?)webhook.NextAttemptAt);

    public static async Task InsertAsync(NpgsqlDataSource dataSource, WebhookEvent webhook, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        AddInsert(batch, webhook);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <returns>The number of events queued (0 or 1): the watch's client may not have asked for this type.</returns>
    public static int AddIfSubscribed(NpgsqlBatch batch, Watch watch, string type, DateTimeOffset now, string? videoJson, WatchFailure? failure = null)
    {
        if (!watch.Events.Contains(type))
        {
            return 0;
        }

        AddInsert(batch, Create(watch, type, now, videoJson, failure));
        return 1;
    }

    /// <summary>
    /// <c>video.progress</c> is coalesced: while a watch's last progress webhook is still unsent (or held for a disabled
    /// endpoint), its body is updated instead of queueing another.
    /// </summary>
    /// <param name="writes">Where the rewrites and new rows are added, to run in <paramref name="transaction"/>: the locks taken here hold until its end.</param>
    /// <returns>The number of watches that asked for progress webhooks.</returns>
    public static async Task<int> RecordProgressAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, NpgsqlBatch writes, List<Watch> watches, string videoJson, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var subscribed = watches.Where(w => w.Events.Contains(WatchEventTypes.VideoProgress)).ToList();
        if (subscribed.Count == 0)
        {
            return 0;
        }

        var unsent = new Dictionary<string, (string Id, DateTimeOffset CreatedAt)>();
        await using (var command = SqlCommands.Create(connection, transaction, LockUnsentProgress, subscribed.Select(w => w.Id).ToArray(), now))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                unsent.TryAdd(reader.GetString(1), (reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(2)));
            }
        }

        foreach (var watch in subscribed)
        {
            if (unsent.TryGetValue(watch.Id, out var pending))
            {
                SqlCommands.Add(writes, Rewrite, pending.Id, WebhookPayload.Build(pending.Id, WatchEventTypes.VideoProgress, pending.CreatedAt, watch, videoJson, failure: null));
            }
            else
            {
                AddInsert(writes, Create(watch, WatchEventTypes.VideoProgress, now, videoJson));
            }
        }

        return subscribed.Count;
    }

    /// <summary>Drops the ended watches' unsent progress webhooks: they would arrive after the terminal one, news no longer.</summary>
    public static void AddDropUnsentProgress(NpgsqlBatch batch, string[] watchIds, DateTimeOffset now) => SqlCommands.Add(batch, DropUnsentProgress, watchIds, now);

    public static async Task<int> PurgeAsync(NpgsqlDataSource dataSource, string[] watchIds, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(dataSource, PurgeSql, (object)watchIds);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Hands a recovery's next batch back to delivery in the caller's transaction; the last one returned is where its cursor goes.</summary>
    public static async Task<List<(string Id, DateTimeOffset CreatedAt)>> RequeueRecoveredAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string recoveryId, int limit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(connection, transaction, RequeueRecoveredSql, recoveryId, limit, now);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var moved = new List<(string Id, DateTimeOffset CreatedAt)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            moved.Add((reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return moved;
    }
}
