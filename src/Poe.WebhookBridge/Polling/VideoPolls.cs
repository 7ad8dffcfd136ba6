using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Polling;

/// <summary>
/// Every statement that writes <c>bridge.video_polls</c> (a video's poll target, <see cref="VideoPoll"/>), and the claim's
/// read of due targets: registration's upsert, the claim's lease and orphan removal, the write-back of a poll (batched or
/// single), its back-off, release and removal. Raw SQL on the caller's connection and transaction, so a statement joins
/// whichever transaction its path already runs.
/// <para>
/// Due order: <c>claim_order</c> is a stored generated column, <c>GREATEST(LEAST(next_poll_at, urgent_at), claimed_until)</c>.
/// <c>urgent_at</c> is the last answer plus <see cref="AdaptiveCadence.UrgentAfter"/> (from configuration, so written
/// here, not generated); a lease lifts the row past its lease end, so a claimed video is out of the due range until its
/// write-back or its lease's expiry. The index <c>(poe_key_id, claim_order)</c> yields each key's due rows in claim order,
/// so a claim reads O(batch) rows however long the backlog.
/// </para>
/// </summary>
public sealed class VideoPolls(IOptions<PollingOptions> polling)
{
    /// <summary>
    /// Makes sure a video is polled for a new watch: creates its poll target due at <paramref name="firstPollAt"/>
    /// (<paramref name="now"/>, unless the planner defers it), or pulls an existing one forward to then — but never closer
    /// than <paramref name="interval"/> after its last poll. Returns <c>next_poll_at</c> and <c>poll_count</c> (the new
    /// watch's <see cref="Watch.PollBase"/>), and does nothing unless <paramref name="condition"/> holds. Each value is the
    /// caller's placeholder for its parameter. Run it before inserting the watch in the same transaction (in
    /// one statement, insert the watch from its RETURNING row): the row lock it takes orders this registration against a
    /// concurrent terminal write-back.
    /// </summary>
    public static string Upsert(string condition, string poeKeyId, string videoId, string firstPollAt, string interval, string now) => $"""
        INSERT INTO bridge.video_polls (poe_key_id, video_id, next_poll_at, failure_count, created_at)
        SELECT {poeKeyId}, {videoId}, {firstPollAt}, 0, {now} WHERE {condition}
        ON CONFLICT (poe_key_id, video_id) DO UPDATE
        SET next_poll_at = CASE
            WHEN video_polls.claimed_until > {now} THEN video_polls.next_poll_at -- being polled right now
            ELSE LEAST(video_polls.next_poll_at, GREATEST({firstPollAt}, COALESCE(video_polls.last_polled_at + {interval}, {firstPollAt})))
        END
        RETURNING next_poll_at, poll_count
        """;

    private TimeSpan UrgentAfter => AdaptiveCadence.UrgentAfter(polling.Value.MaxInterval);

    /// <summary>
    /// The claim's read of due targets, the body of its statement's <c>due</c> CTE (<see cref="PollClaimer.ClaimSql"/>):
    /// locks and returns up to each key's limit (<c>@keys</c>, <c>@limits</c>) of its due targets, oldest in claim order
    /// first (the urgency floor included). One index range scan per key that stops at the key's limit: O(sum of limits)
    /// rows, never a sort of every due row. <c>next_poll_at</c> is still compared: a video nearing its floor sorts early
    /// but is due only at its own poll time. <c>watched</c> is null for a target without an active watch.
    /// </summary>
    public const string DueSql = $"""
        SELECT p.poe_key_id, p.video_id, p.next_poll_at, p.failure_count, p.last_status, p.last_progress,
               p.progress_started_at, p.progress_started_value,
               -- One look at the video's active watches: NULL when there are none, else whether any asked for progress.
               (SELECT bool_or('video.progress' = ANY (w.events)) FROM bridge.watches w
                WHERE w.poe_key_id = p.poe_key_id AND w.video_id = p.video_id AND w.status = '{WatchStatus.Active}') AS watched,
               p.claim_order
        FROM unnest(@keys::text[], @limits::int[]) AS k(id, wanted)
        CROSS JOIN LATERAL (
            SELECT * FROM bridge.video_polls p
            WHERE p.poe_key_id = k.id AND p.claim_order <= @now AND p.next_poll_at <= @now
            ORDER BY p.claim_order
            LIMIT k.wanted
            FOR UPDATE SKIP LOCKED) p
        """;

    /// <summary>Adds the parameters of <see cref="DueSql"/>: each key's limit.</summary>
    public static void AddDueParameters(NpgsqlParameterCollection parameters, IReadOnlyList<(string Key, int Limit)> keys, DateTimeOffset now)
    {
        parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = keys.Select(k => k.Key).ToArray() });
        parameters.Add(new NpgsqlParameter("limits", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = keys.Select(k => k.Limit).ToArray() });
        parameters.AddWithValue("now", now);
    }

    /// <summary>A row of <see cref="DueSql"/>'s columns (the first nine of the reader's row), claimed at <paramref name="now"/>.</summary>
    public static DueTarget ReadDue(NpgsqlDataReader reader, DateTimeOffset now)
    {
        var poll = new ClaimedPoll(
            reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), now, now,
            reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetInt32(5))
        {
            ProgressStartedAt = reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
            ProgressStartedValue = reader.IsDBNull(7) ? null : reader.GetInt32(7),
            ProgressSubscribed = !reader.IsDBNull(8) && reader.GetBoolean(8),
        };
        return new DueTarget(poll, HasWatchers: !reader.IsDBNull(8));
    }

    /// <summary>
    /// Adds the lease of claimed targets: <c>next_poll_at</c> and <c>claimed_until</c> move to the lease end, which takes
    /// them out of the due range and brings them back by themselves if this instance dies.
    /// </summary>
    public static void AddLease(NpgsqlBatch batch, IReadOnlyList<ClaimedPoll> claimed, DateTimeOffset lease)
    {
        if (claimed.Count == 0)
        {
            return;
        }

        var command = new NpgsqlBatchCommand("""
            UPDATE bridge.video_polls p SET next_poll_at = @lease, claimed_until = @lease
            FROM unnest(@keys, @videos) AS c(poe_key_id, video_id)
            WHERE p.poe_key_id = c.poe_key_id AND p.video_id = c.video_id
            """);
        command.Parameters.AddWithValue("lease", lease);
        AddTargets(command.Parameters, claimed);
        batch.BatchCommands.Add(command);
    }

    /// <summary>
    /// Adds the removal of targets the claim found without an active watch. The claim judged them from its statement's
    /// snapshot; this statement's newer one also sees a watch registered while the claim ran, whose target must stay.
    /// </summary>
    public static void AddDeleteOrphans(NpgsqlBatch batch, IReadOnlyList<ClaimedPoll> orphans)
    {
        if (orphans.Count == 0)
        {
            return;
        }

        var command = new NpgsqlBatchCommand($"""
            DELETE FROM bridge.video_polls p
            USING unnest(@keys, @videos) AS c(poe_key_id, video_id)
            WHERE p.poe_key_id = c.poe_key_id AND p.video_id = c.video_id
              AND NOT EXISTS (SELECT 1 FROM bridge.watches w
                              WHERE w.poe_key_id = p.poe_key_id AND w.video_id = p.video_id AND w.status = '{WatchStatus.Active}')
            """);
        AddTargets(command.Parameters, orphans);
        batch.BatchCommands.Add(command);
    }

    /// <summary>
    /// Locks a claimed target for its write-back if the claim still holds it (its lease is the fencing token): a poll
    /// that outlived its lease must not overwrite a newer one.
    /// </summary>
    public static async Task<bool> LockClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ClaimedPoll poll, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT 1 FROM bridge.video_polls
            WHERE poe_key_id = @key AND video_id = @video AND claimed_until = @lease
            FOR UPDATE
            """, connection, transaction);
        AddTarget(command.Parameters, poll);
        command.Parameters.AddWithValue("lease", poll.Lease);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>
    /// Stores what routine polls found with their targets, and when to poll next (timed from the answer) — fenced by
    /// each claim's lease — and counts them (<see cref="PollTally"/>) unless <paramref name="counted"/> already did.
    /// Batched by <see cref="RoutinePollWriter"/>, single for a poll written with its webhook.
    /// </summary>
    public NpgsqlBatchCommand StorePolls(IReadOnlyList<RoutinePoll> polls, bool counted = false)
    {
        var command = new NpgsqlBatchCommand("""
            UPDATE bridge.video_polls p
            SET next_poll_at = u.next_poll_at, claimed_until = NULL, failure_count = 0, last_polled_at = u.answered_at,
                urgent_at = u.answered_at + $14::interval,
                poll_count = p.poll_count + $17, poll_sent_at = u.sent_at,
                last_status = u.status, last_progress = u.progress, model = u.model, video_seconds = u.seconds,
                video_created_at = u.created_at, progress_started_at = u.started_at, progress_started_value = u.started_value,
                expected_end_at = u.expected_end_at, end_spread_seconds = u.end_spread
            FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::int[],
                        $7::text[], $8::text[], $9::timestamptz[], $10::timestamptz[], $11::int[], $12::timestamptz[], $13::float8[],
                        $15::timestamptz[], $16::timestamptz[])
                AS u(poe_key_id, video_id, lease, next_poll_at, status, progress, model, seconds, created_at,
                     started_at, started_value, expected_end_at, end_spread, answered_at, sent_at)
            WHERE p.poe_key_id = u.poe_key_id AND p.video_id = u.video_id AND p.claimed_until = u.lease
            """);
        var parameters = command.Parameters;
        parameters.Add(Array(NpgsqlDbType.Text, polls.Select(r => (object?)r.Poll.PoeKeyId)));
        parameters.Add(Array(NpgsqlDbType.Text, polls.Select(r => (object?)r.Poll.VideoId)));
        parameters.Add(Array(NpgsqlDbType.TimestampTz, polls.Select(r => (object?)r.Poll.Lease)));
        parameters.Add(Array(NpgsqlDbType.TimestampTz, polls.Select(r => (object?)r.NextPollAt)));
        parameters.Add(Array(NpgsqlDbType.Text, polls.Select(r => (object?)r.Video.Status)));
        parameters.Add(Array(NpgsqlDbType.Integer, polls.Select(r => (object?)r.Video.Progress)));
        parameters.Add(Array(NpgsqlDbType.Text, polls.Select(r => (object?)r.Video.Model)));
        parameters.Add(Array(NpgsqlDbType.Text, polls.Select(r => (object?)r.Video.Seconds)));
        parameters.Add(Array(NpgsqlDbType.TimestampTz, polls.Select(r => (object?)r.Video.CreatedAt)));
        parameters.Add(Array(NpgsqlDbType.TimestampTz, polls.Select(r => (object?)r.ProgressStartedAt)));
        parameters.Add(Array(NpgsqlDbType.Integer, polls.Select(r => (object?)r.ProgressStartedValue)));
        parameters.Add(Array(NpgsqlDbType.TimestampTz, polls.Select(r => (object?)r.ExpectedEndAt)));
        parameters.Add(Array(NpgsqlDbType.Double, polls.Select(r => (object?)r.EndSpreadSeconds)));
        parameters.Add(new NpgsqlParameter { Value = UrgentAfter });
        parameters.Add(Array(NpgsqlDbType.TimestampTz, polls.Select(r => (object?)r.AnsweredAt)));
        parameters.Add(Array(NpgsqlDbType.TimestampTz, polls.Select(r => (object?)r.SentAt)));
        parameters.Add(new NpgsqlParameter { Value = counted ? 0 : 1 });
        return command;
    }

    /// <summary>
    /// Adds the count of a claimed target's poll (<see cref="PollTally"/>) sent at <paramref name="sentAt"/>, and the
    /// video object it returned, if any.
    /// </summary>
    public static void AddCount(NpgsqlBatch batch, ClaimedPoll poll, DateTimeOffset sentAt, string? video)
    {
        if (video is not null)
        {
            AddVideos(batch, [(poll, video)]);
        }

        var command = new NpgsqlBatchCommand("""
            UPDATE bridge.video_polls SET poll_count = poll_count + 1, poll_sent_at = @sent
            WHERE poe_key_id = @key AND video_id = @video
            """);
        AddTarget(command.Parameters, poll);
        command.Parameters.AddWithValue("sent", sentAt);
        batch.BatchCommands.Add(command);
    }

    /// <summary>
    /// Adds the storing of claimed targets' video objects (<see cref="VideoObject"/>), while each claim's lease is
    /// current: so in a batch, before the write-back that ends the lease.
    /// </summary>
    public static void AddVideos(NpgsqlBatch batch, IReadOnlyList<(ClaimedPoll Poll, string Video)> videos)
    {
        if (videos.Count == 0)
        {
            return;
        }

        var command = new NpgsqlBatchCommand("""
            INSERT INTO bridge.video_objects (poe_key_id, video_id, video)
            SELECT u.poe_key_id, u.video_id, u.video::jsonb
            FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[]) AS u(poe_key_id, video_id, lease, video)
            JOIN bridge.video_polls p ON p.poe_key_id = u.poe_key_id AND p.video_id = u.video_id AND p.claimed_until = u.lease
            ON CONFLICT (poe_key_id, video_id) DO UPDATE SET video = excluded.video
            """);
        command.Parameters.Add(Array(NpgsqlDbType.Text, videos.Select(v => (object?)v.Poll.PoeKeyId)));
        command.Parameters.Add(Array(NpgsqlDbType.Text, videos.Select(v => (object?)v.Poll.VideoId)));
        command.Parameters.Add(Array(NpgsqlDbType.TimestampTz, videos.Select(v => (object?)v.Poll.Lease)));
        command.Parameters.Add(Array(NpgsqlDbType.Text, videos.Select(v => (object?)v.Video)));
        batch.BatchCommands.Add(command);
    }

    /// <summary>Plans the next poll of a claimed target without storing what Poe said (a failure, or a 404 inside its grace).</summary>
    public async Task ScheduleAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ClaimedPoll poll, DateTimeOffset next, int failureCount, DateTimeOffset answeredAt,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE bridge.video_polls
            SET next_poll_at = @next, claimed_until = NULL, failure_count = @failures, last_polled_at = @answered, urgent_at = @urgent
            WHERE poe_key_id = @key AND video_id = @video
            """, connection, transaction);
        AddTarget(command.Parameters, poll);
        command.Parameters.AddWithValue("next", next);
        command.Parameters.AddWithValue("failures", failureCount);
        command.Parameters.AddWithValue("answered", answeredAt);
        command.Parameters.AddWithValue("urgent", answeredAt + UrgentAfter);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Gives a claim back unpolled, keeping its place in the due order (its <c>urgent_at</c> is untouched).</summary>
    public static async Task ReleaseAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, ClaimedPoll poll, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(Release([poll]));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Gives claims back unpolled, each keeping its place in the due order; fenced by each claim's lease.</summary>
    public static NpgsqlBatchCommand Release(IReadOnlyList<ClaimedPoll> polls)
    {
        var command = new NpgsqlBatchCommand("""
            UPDATE bridge.video_polls p SET next_poll_at = u.due, claimed_until = NULL
            FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) AS u(poe_key_id, video_id, lease, due)
            WHERE p.poe_key_id = u.poe_key_id AND p.video_id = u.video_id AND p.claimed_until = u.lease
            """);
        command.Parameters.Add(Array(NpgsqlDbType.Text, polls.Select(c => (object?)c.PoeKeyId)));
        command.Parameters.Add(Array(NpgsqlDbType.Text, polls.Select(c => (object?)c.VideoId)));
        command.Parameters.Add(Array(NpgsqlDbType.TimestampTz, polls.Select(c => (object?)c.Lease)));
        command.Parameters.Add(Array(NpgsqlDbType.TimestampTz, polls.Select(c => (object?)c.DueAt)));
        return command;
    }

    /// <summary>Removes a target whose video needs no more polls; returns the end it was last expected at, for learning.</summary>
    public static async Task<EndEstimate?> DeleteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ClaimedPoll poll, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            DELETE FROM bridge.video_polls WHERE poe_key_id = @key AND video_id = @video
            RETURNING expected_end_at, end_spread_seconds
            """, connection, transaction);
        AddTarget(command.Parameters, poll);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new EndEstimate(reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0), reader.IsDBNull(1) ? null : reader.GetDouble(1))
            : null;
    }

    private static void AddTarget(NpgsqlParameterCollection parameters, ClaimedPoll poll)
    {
        parameters.AddWithValue("key", poll.PoeKeyId);
        parameters.AddWithValue("video", poll.VideoId);
    }

    private static void AddTargets(NpgsqlParameterCollection parameters, IReadOnlyList<ClaimedPoll> polls)
    {
        parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = polls.Select(c => c.PoeKeyId).ToArray() });
        parameters.Add(new NpgsqlParameter("videos", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = polls.Select(c => c.VideoId).ToArray() });
    }

    private static NpgsqlParameter Array(NpgsqlDbType type, IEnumerable<object?> values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | type, Value = values.Select(v => v ?? DBNull.Value).ToArray() };
}
