using Npgsql;
using NpgsqlTypes;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Watches;

/// <summary>
/// Every statement that changes <c>bridge.watches</c> after registration, as raw SQL with positional parameters and the
/// values of <see cref="WatchStatus"/>, each run in the caller's transaction: what a poll found (batched and single),
/// ending a watch (terminal video, failure, cancellation) and retention's purge; and the registration's INSERT, one
/// round trip with the video's poll target.
/// </summary>
internal static class WatchRows
{
    // A registration in one round trip, where EF Core took six (select, upsert, savepoint, insert, release, commit).
    /// <summary>The natural dedupe of SPEC §2: at most one active watch per client, video and callback URL.</summary>
    public const string ActiveIdentityIndex = "ix_watches_active_identity";

    // The video's poll is scheduled only when no identical watch is active, and the watch is inserted from the row the
    // upsert returns, so it comes after the poll row lock. A concurrent identical insert fails on the unique index. The
    // status is part of the text, not a parameter, so the identical-watch check matches the partial index in every plan.
    // Positional parameters, each named by the column it fills: Npgsql sends such a statement as it is, where named ones
    // are rewritten on every call, which cost a registration more than the rest of its statement's work in this process.
    internal static readonly string InsertSql = $"""
        WITH identical AS (
            SELECT 1 FROM bridge.watches
            WHERE client_name = $2 AND video_id = $3 AND callback_url = $4 AND status = '{WatchStatus.Active}'),
        poll AS ({VideoPolls.Upsert("NOT EXISTS (SELECT 1 FROM identical)", poeKeyId: "$5", videoId: "$3", firstPollAt: "$10", interval: "$11", now: "$9")}),
        watch AS (
            INSERT INTO bridge.watches (id, client_name, video_id, callback_url, poe_key_id, events, metadata, status, video, poll_count, poll_base, created_at)
            SELECT $1, $2, $3, $4, $5, $6, $7, '{WatchStatus.Active}', $8, 0, poll_count, $9 FROM poll)
        SELECT next_poll_at FROM poll
        """;

    /// <summary>Inserts the watch and schedules its video; null, inserting nothing, when an identical watch is active.</summary>
    public static async Task<DateTimeOffset?> TryInsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Watch watch, DateTimeOffset firstPollAt, TimeSpan interval, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(InsertSql, connection, transaction);
        BindInsert(command.Parameters, watch, firstPollAt, interval);
        // Prepared once per pooled connection (then found by its text): PostgreSQL planned this statement anew for every
        // registration, and a connection with a prepared statement is returned to the pool without DISCARD ALL.
        await command.PrepareAsync(cancellationToken);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? reader.GetFieldValue<DateTimeOffset>(0) : null;
    }

    /// <summary>
    /// Adds the insert of <see cref="TryInsertAsync"/> to a batch. Its result set has the video's next poll, or no row
    /// when an identical watch is active, counting an identical one inserted earlier in the same batch.
    /// </summary>
    public static void AddInsert(NpgsqlBatch batch, Watch watch, DateTimeOffset firstPollAt, TimeSpan interval)
    {
        var command = new NpgsqlBatchCommand(InsertSql);
        BindInsert(command.Parameters, watch, firstPollAt, interval);
        batch.BatchCommands.Add(command);
    }

    private static void BindInsert(NpgsqlParameterCollection parameters, Watch watch, DateTimeOffset firstPollAt, TimeSpan interval)
    {
        parameters.Add(new() { Value = watch.Id });
        parameters.Add(new() { Value = watch.ClientName });
        parameters.Add(new() { Value = watch.VideoId });
        parameters.Add(new() { Value = watch.CallbackUrl });
        parameters.Add(new() { Value = watch.PoeKeyId });
        parameters.Add(new() { Value = watch.Events });
        parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = WatchMetadata.ToJson(watch.Metadata) });
        // Known at registration only when the bridge created the video itself (Gateway): Poe's answer to the create.
        parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = (object?)watch.Video ?? DBNull.Value });
        parameters.Add(new() { Value = watch.CreatedAt });
        parameters.Add(new() { Value = firstPollAt });
        parameters.Add(new() { Value = interval });
    }

    // The rule of Watch.CatchUp: an active watch takes in the polls its target counted since its base. It changes no
    // watch's values as read (reads apply the same rule), so it may run at any time.
    private const string CatchUpSql = $"""
        UPDATE bridge.watches w
        SET poll_count = w.poll_count + p.poll_count - w.poll_base, poll_base = p.poll_count, last_polled_at = p.poll_sent_at,
            video = coalesce(o.video, w.video)
        FROM bridge.video_polls p LEFT JOIN bridge.video_objects o ON o.poe_key_id = p.poe_key_id AND o.video_id = p.video_id
        WHERE p.poe_key_id = w.poe_key_id AND p.video_id = w.video_id AND w.status = '{WatchStatus.Active}' AND p.poll_count > w.poll_base
        """;

    private const string End = "UPDATE bridge.watches SET status = $2, ended_at = $3 WHERE id = ANY($1)";

    private const string Fail = $"""
        UPDATE bridge.watches SET status = '{WatchStatus.Failed}', ended_at = $2, failure_reason = $3, failure_message = $4 WHERE id = $1
        """;

    private const string Cancel = $"""
        UPDATE bridge.watches SET status = '{WatchStatus.Cancelled}', ended_at = $2 WHERE id = $1 AND status = '{WatchStatus.Active}'
        """;

    /// <summary>
    /// The oldest ended watches past the period ($1), at most $2, walked on <c>ix_watches_ended_at</c>; a watch with an
    /// event still to deliver is skipped until that event settles.
    /// </summary>
    public const string ExpiredSql = $"""
        SELECT w.id FROM bridge.watches w
        WHERE w.ended_at < $1
          AND NOT EXISTS (SELECT 1 FROM bridge.webhook_events p WHERE p.watch_id = w.id AND p.status IN ('{DeliveryStatus.Pending}', '{DeliveryStatus.Held}'))
        ORDER BY w.ended_at
        LIMIT $2
        """;

    // By the batch's ids alone, so the delete goes by primary key (a condition on ended_at beside them lets the planner
    // walk every expired watch on ix_watches_ended_at instead): they were picked past the period, and an end never
    // changes. It repeats the pick's rule, as the purges of their events and attempts do: an event may have become
    // pending or held since the batch was picked.
    public const string PurgeSql = $"""
        DELETE FROM bridge.watches w USING unnest($1::text[]) AS batch(id)
        WHERE w.id = batch.id
          AND NOT EXISTS (SELECT 1 FROM bridge.webhook_events p WHERE p.watch_id = w.id AND p.status IN ('{DeliveryStatus.Pending}', '{DeliveryStatus.Held}'))
        """;

    /// <summary>
    /// Takes into the video's active watches the polls its target counted (<see cref="Watch.CatchUp"/>), so that they
    /// keep them when they end. The update locks every one the poll being written counted, so none ends elsewhere (a
    /// cancel) before the caller's transaction does.
    /// </summary>
    public static void AddCatchUp(NpgsqlBatch batch, string poeKeyId, string videoId) =>
        SqlCommands.Add(batch, CatchUpSql + " AND w.poe_key_id = $1 AND w.video_id = $2", poeKeyId, videoId);

    /// <summary>Takes into these watches, if active, the polls their targets counted (<see cref="Watch.CatchUp"/>), before they end.</summary>
    public static void AddCatchUp(NpgsqlBatch batch, string[] watchIds) =>
        SqlCommands.Add(batch, CatchUpSql + " AND w.id = ANY($1)", (object)watchIds);

    /// <summary>Ends the watches with the video's terminal status.</summary>
    public static void AddEnd(NpgsqlBatch batch, IReadOnlyList<Watch> watches) =>
        SqlCommands.Add(batch, End, watches.Select(w => w.Id).ToArray(), watches[0].Status, watches[0].EndedAt);

    public static void AddFail(NpgsqlBatch batch, Watch watch) =>
        SqlCommands.Add(batch, Fail, watch.Id, watch.EndedAt, watch.FailureReason, watch.FailureMessage);

    /// <returns>The cancelling statement, whose RecordsAffected says whether the watch was still active.</returns>
    public static NpgsqlBatchCommand AddCancel(NpgsqlBatch batch, string watchId, DateTimeOffset endedAt) => SqlCommands.Add(batch, Cancel, watchId, endedAt);

    public static async Task<List<string>> ExpiredAsync(NpgsqlDataSource dataSource, DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(dataSource, ExpiredSql, endedBefore, limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public static async Task<int> PurgeAsync(NpgsqlDataSource dataSource, string[] watchIds, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(dataSource, PurgeSql, (object)watchIds);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
