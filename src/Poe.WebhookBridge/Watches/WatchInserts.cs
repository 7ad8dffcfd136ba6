using Microsoft.Extensions.Options;
using Npgsql;
using Poe.WebhookBridge.Infrastructure;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Watches;

/// <summary>
/// Group commit of registrations without an idempotency record: the inserts that arrive while earlier ones are being
/// written go to PostgreSQL together, one round trip and one commit for the batch, where each used to pay both (and a
/// connection reset). A registration still answers only after the commit of its own watch.
/// </summary>
internal sealed partial class WatchInserts(NpgsqlDataSource dataSource, IOptions<PollingOptions> polling, ILogger<WatchInserts> logger)
    : BatchWriter<WatchInserts.Pending>(MaxBatch, Writers)
{
    // PostgreSQL runs a batch's statements one after another in one backend: batches side by side keep every core busy.
    private const int Writers = 4;
    private const int MaxBatch = 32;

    /// <summary>As <see cref="WatchRows.TryInsertAsync"/>, in the next batch.</summary>
    public async Task<DateTimeOffset?> TryInsertAsync(Watch watch, DateTimeOffset firstPollAt, CancellationToken cancellationToken)
    {
        var pending = new Pending(watch, firstPollAt);
        if (Add(pending) && await pending.Outcome.Task.WaitAsync(cancellationToken) is { } written)
        {
            return written.NextPollAt;
        }

        // The service has stopped, or PostgreSQL refused a row of the batch: alone, only a watch that fails by itself fails.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await WatchRows.TryInsertAsync(connection, null, watch, firstPollAt, polling.Value.Interval, cancellationToken);
    }

    protected override async Task WriteBatchAsync(List<Pending> batch)
    {
        // One order for every batch, as the routine write-back keeps: concurrent batches never lock two videos in
        // opposite orders.
        batch.Sort(static (a, b) => string.CompareOrdinal(a.Watch.PoeKeyId, b.Watch.PoeKeyId) is var byKey and not 0
            ? byKey
            : string.CompareOrdinal(a.Watch.VideoId, b.Watch.VideoId));
        try
        {
            var due = await InsertAsync(batch);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Outcome.TrySetResult(new Written(due[i]));
            }
        }
        catch (PostgresException ex) when (batch.Count > 1)
        {
            // PostgreSQL refused one row (typically it raced an identical registration on another connection), which
            // rolled back the rest: each is inserted alone, so only a row that fails by itself fails.
            LogBatchFailed(logger, batch.Count, ex);
            foreach (var pending in batch)
            {
                pending.Outcome.TrySetResult(null);
            }
        }
        catch (Exception ex)
        {
            foreach (var pending in batch)
            {
                pending.Outcome.TrySetException(ex);
            }

            // The database did not answer: the registrations waiting for a batch fail now, as each would have alone,
            // not after the batches ahead of them failed in turn (a request needing the database answers within its
            // time-outs, guarantees.md).
            while (ex is not PostgresException && TryTakeWaiting(out var waiting))
            {
                waiting.Outcome.TrySetException(ex);
            }
        }
    }

    private async Task<DateTimeOffset?[]> InsertAsync(List<Pending> batch)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        // Without a transaction of its own, a batch runs in one implicit transaction: all of it commits, or none.
        await using var commands = new NpgsqlBatch(connection);
        foreach (var pending in batch)
        {
            WatchRows.AddInsert(commands, pending.Watch, pending.FirstPollAt, polling.Value.Interval);
        }

        await commands.PrepareAsync();
        await using var reader = await commands.ExecuteReaderAsync();
        var due = new DateTimeOffset?[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            due[i] = await reader.ReadAsync() ? reader.GetFieldValue<DateTimeOffset>(0) : null;
            await reader.NextResultAsync();
        }

        return due;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A batch of {Count} registrations failed; each is inserted alone")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);

    internal sealed record Pending(Watch Watch, DateTimeOffset FirstPollAt)
    {
        /// <summary>Null when the batch failed and the watch is to be inserted alone.</summary>
        public TaskCompletionSource<Written?> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    internal sealed record Written(DateTimeOffset? NextPollAt);
}
