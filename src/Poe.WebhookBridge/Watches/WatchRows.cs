using Npgsql;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Watches;

/// <summary>
/// Every statement that changes <c>bridge.watches</c> after registration, as raw SQL with positional parameters and the
/// values of <see cref="WatchStatus"/>, each run in the caller's transaction: what a poll found (batched and single),
/// ending a watch (terminal video, failure, cancellation) and retention's purge. The registration's INSERT is one
/// statement with the video's poll target and the idempotency record, so it is <see cref="WatchInsert"/>'s.
/// </summary>
internal static class WatchRows
{
    // Every active watch of each polled video ($1 key, $2 video), only while the claim's lease ($3) is current; a null
    // video ($5) keeps the last one (an answer without a video object).
    public const string StorePollsSql = $"""
        UPDATE bridge.watches w
        SET poll_count = w.poll_count + 1, last_polled_at = u.sent_at, video = coalesce(u.video::jsonb, w.video)
        FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[]) AS u(poe_key_id, video_id, lease, sent_at, video)
        WHERE w.poe_key_id = u.poe_key_id AND w.video_id = u.video_id AND w.status = '{WatchStatus.Active}'
          AND EXISTS (SELECT 1 FROM bridge.video_polls p
                      WHERE p.poe_key_id = u.poe_key_id AND p.video_id = u.video_id AND p.claimed_until = u.lease)
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

    /// <summary>Counts a poll of each video on its active watches and stores the video object it returned, if any.</summary>
    public static NpgsqlBatchCommand AddPolls(NpgsqlBatch batch, IReadOnlyList<(ClaimedPoll Poll, DateTimeOffset SentAt, string? Video)> polls) =>
        SqlCommands.Add(batch, StorePollsSql,
            polls.Select(p => p.Poll.PoeKeyId).ToArray(), polls.Select(p => p.Poll.VideoId).ToArray(), polls.Select(p => p.Poll.Lease).ToArray(),
            polls.Select(p => p.SentAt).ToArray(), polls.Select(p => p.Video).ToArray());

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
