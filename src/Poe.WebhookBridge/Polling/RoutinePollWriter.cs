using Npgsql;
using NpgsqlTypes;
using Poe.WebhookBridge.Budget;
using Poe.WebhookBridge.Infrastructure;

namespace Poe.WebhookBridge.Polling;

/// <summary>
/// Stores routine polls (video still running, no webhook to send) in batches: one transaction of three statements for
/// up to a few hundred polls, instead of a transaction each. Like every write-back it is fenced by the claim's lease,
/// and a batch lost to a crash only means those videos are polled again when their leases expire.
/// </summary>
public sealed partial class RoutinePollWriter(NpgsqlDataSource dataSource, VideoPolls videoPolls, TimeProvider time, ILogger<RoutinePollWriter> logger)
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
            """, batch));
        commands.BatchCommands.Add(videoPolls.StorePolls(batch));

        PoeBudget.AddAnswered(commands, [.. batch.Select(r => r.Poll.PoeKeyId).Distinct()], time.GetUtcNow());

        await commands.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    private static NpgsqlBatchCommand Command(string sql, IReadOnlyList<RoutinePoll> batch)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(Array(NpgsqlDbType.Text, batch.Select(r => (object?)r.Poll.PoeKeyId)));
        command.Parameters.Add(Array(NpgsqlDbType.Text, batch.Select(r => (object?)r.Poll.VideoId)));
        command.Parameters.Add(Array(NpgsqlDbType.TimestampTz, batch.Select(r => (object?)r.Poll.Lease)));
        command.Parameters.Add(Array(NpgsqlDbType.TimestampTz, batch.Select(r => (object?)r.SentAt)));
        command.Parameters.Add(Array(NpgsqlDbType.Text, batch.Select(r => (object?)r.Video.RawJson)));
        return command;
    }

    private static NpgsqlParameter Array(NpgsqlDbType type, IEnumerable<object?> values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | type, Value = values.Select(v => v ?? DBNull.Value).ToArray() };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing {Count} routine polls failed; their videos are polled again when the claims expire")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);
}
