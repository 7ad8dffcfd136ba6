using Npgsql;
using NpgsqlTypes;
using Poe.WebhookBridge.Infrastructure;

namespace Poe.WebhookBridge.Polling;

/// <summary>
/// Stores routine polls (video still running, no webhook to send) in batches: one transaction of three statements for
/// up to a few hundred polls, instead of a transaction each. Like every write-back it is fenced by the claim's lease,
/// and a batch lost to a crash only means those videos are polled again when their leases expire.
/// </summary>
public sealed partial class RoutinePollWriter(NpgsqlDataSource dataSource, TimeProvider time, ILogger<RoutinePollWriter> logger)
    : BatchWriter<RoutinePoll>(MaxBatch)
{
    private const int MaxBatch = 500;

    public void Enqueue(RoutinePoll poll) => Add(poll);

    protected override async Task WriteBatchAsync(List<RoutinePoll> batch)
    {
        try
        {
            await WriteAsync(batch);
        }
        catch (NpgsqlException ex)
        {
            LogBatchFailed(logger, batch.Count, ex);
        }
    }

    private async Task WriteAsync(List<RoutinePoll> batch)
    {
        // One row per video in a stable order, so concurrent batches of other instances never lock in opposite orders.
        batch.Sort((a, b) => string.CompareOrdinal(a.Poll.PoeKeyId + "\n" + a.Poll.VideoId, b.Poll.PoeKeyId + "\n" + b.Poll.VideoId));
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var commands = new NpgsqlBatch(connection, transaction);
        commands.BatchCommands.Add(Command("""
            UPDATE bridge.watches w
            SET poll_count = w.poll_count + 1, last_polled_at = u.sent_at, video = u.video::jsonb
            FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[]) AS u(poe_key_id, video_id, lease, sent_at, video)
            WHERE w.poe_key_id = u.poe_key_id AND w.video_id = u.video_id AND w.status = 'active'
              AND EXISTS (SELECT 1 FROM bridge.video_polls p
                          WHERE p.poe_key_id = u.poe_key_id AND p.video_id = u.video_id AND p.claimed_until = u.lease)
            """, batch, includeVideo: true));
        commands.BatchCommands.Add(TargetsCommand(batch));

        var keys = new NpgsqlBatchCommand(PoeKeyThrottle.KeysAnsweredSql);
        keys.Parameters.AddRange(PoeKeyThrottle.KeysAnsweredParameters([.. batch.Select(r => r.Poll.PoeKeyId).Distinct()], time.GetUtcNow()));
        commands.BatchCommands.Add(keys);

        await commands.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    /// <summary>
    /// Stores what routine polls found with their poll targets, and when to poll next — fenced by each claim's lease.
    /// Also used for the one routine poll that causes a webhook, in the transaction that records it.
    /// </summary>
    public static NpgsqlBatchCommand TargetsCommand(IReadOnlyList<RoutinePoll> polls)
    {
        var targets = Command("""
            UPDATE bridge.video_polls p
            SET next_poll_at = u.next_poll_at, claimed_until = NULL, failure_count = 0, last_polled_at = u.answered_at,
                last_status = u.status, last_progress = u.progress, model = u.model, video_seconds = u.seconds,
                video_created_at = u.created_at, progress_started_at = u.started_at, progress_started_value = u.started_value,
                expected_end_at = u.expected_end_at, end_spread_seconds = u.end_spread
            FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[], $6::text[], $7::int[],
                        $8::text[], $9::text[], $10::timestamptz[], $11::timestamptz[], $12::int[], $13::timestamptz[], $14::float8[],
                        $15::timestamptz[])
                AS u(poe_key_id, video_id, lease, sent_at, next_poll_at, status, progress, model, seconds, created_at,
                     started_at, started_value, expected_end_at, end_spread, answered_at)
            WHERE p.poe_key_id = u.poe_key_id AND p.video_id = u.video_id AND p.claimed_until = u.lease
            """, polls, includeVideo: false);
        targets.Parameters.Add(Array(NpgsqlDbType.TimestampTz, polls.Select(r => (object?)r.NextPollAt)));
        targets.Parameters.Add(Array(NpgsqlDbType.Text, polls.Select(r => (object?)r.Video.Status)));
        targets.Parameters.Add(Array(NpgsqlDbType.Integer, polls.Select(r => (object?)r.Video.Progress)));
        targets.Parameters.Add(Array(NpgsqlDbType.Text, polls.Select(r => (object?)r.Video.Model)));
        targets.Parameters.Add(Array(NpgsqlDbType.Text, polls.Select(r => (object?)r.Video.Seconds)));
        targets.Parameters.Add(Array(NpgsqlDbType.TimestampTz, polls.Select(r => (object?)r.Video.CreatedAt)));
        targets.Parameters.Add(Array(NpgsqlDbType.TimestampTz, polls.Select(r => (object?)r.ProgressStartedAt)));
        targets.Parameters.Add(Array(NpgsqlDbType.Integer, polls.Select(r => (object?)r.ProgressStartedValue)));
        targets.Parameters.Add(Array(NpgsqlDbType.TimestampTz, polls.Select(r => (object?)r.ExpectedEndAt)));
        targets.Parameters.Add(Array(NpgsqlDbType.Double, polls.Select(r => (object?)r.EndSpreadSeconds)));
        targets.Parameters.Add(Array(NpgsqlDbType.TimestampTz, polls.Select(r => (object?)r.AnsweredAt)));
        return targets;
    }

    private static NpgsqlBatchCommand Command(string sql, IReadOnlyList<RoutinePoll> batch, bool includeVideo)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(Array(NpgsqlDbType.Text, batch.Select(r => (object?)r.Poll.PoeKeyId)));
        command.Parameters.Add(Array(NpgsqlDbType.Text, batch.Select(r => (object?)r.Poll.VideoId)));
        command.Parameters.Add(Array(NpgsqlDbType.TimestampTz, batch.Select(r => (object?)r.Poll.Lease)));
        command.Parameters.Add(Array(NpgsqlDbType.TimestampTz, batch.Select(r => (object?)r.SentAt)));
        if (includeVideo)
        {
            command.Parameters.Add(Array(NpgsqlDbType.Text, batch.Select(r => (object?)r.Video.RawJson)));
        }

        return command;
    }

    private static NpgsqlParameter Array(NpgsqlDbType type, IEnumerable<object?> values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | type, Value = values.Select(v => v ?? DBNull.Value).ToArray() };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing {Count} routine polls failed; their videos are polled again when the claims expire")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);
}
