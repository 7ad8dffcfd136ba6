using Npgsql;
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
        // The video objects that moved, before the write-back ends the leases that fence them.
        VideoPolls.AddVideos(commands, [.. batch.Where(r => RoutinePoll.HasChanged(r.Poll, r.Video)).Select(r => (r.Poll, r.Video.RawJson))]);
        commands.BatchCommands.Add(videoPolls.StorePolls(batch));

        PoeBudget.AddAnswered(commands, [.. batch.Select(r => r.Poll.PoeKeyId).Distinct()], time.GetUtcNow());

        await commands.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing {Count} routine polls failed; their videos are polled again when the claims expire")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);
}
