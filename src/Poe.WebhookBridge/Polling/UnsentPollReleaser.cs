using Npgsql;
using Poe.WebhookBridge.Infrastructure;

namespace Poe.WebhookBridge.Polling;

/// <summary>
/// Gives back, in batches, polls that missed their send deadline: one statement for all that missed together. Misses
/// come in bursts (a claim slower than the deadline misses its whole batch), and giving each back on a connection of its
/// own would take the pool from the next claim exactly when claims are slow, so one slow claim would make the next
/// slower until no poll is sent at all. A batch lost to a crash only means its videos are polled when their leases expire.
/// </summary>
public sealed partial class UnsentPollReleaser(NpgsqlDataSource dataSource, ILogger<UnsentPollReleaser> logger) : BatchWriter<ClaimedPoll>(MaxBatch)
{
    private const int MaxBatch = 1000;

    public void Enqueue(ClaimedPoll poll) => Add(poll);

    protected override async Task WriteBatchAsync(List<ClaimedPoll> batch)
    {
        try
        {
            // A stable order, so concurrent batches of other instances never lock rows in opposite orders.
            batch.Sort((a, b) => string.CompareOrdinal(a.PoeKeyId + "\n" + a.VideoId, b.PoeKeyId + "\n" + b.VideoId));
            await using var commands = dataSource.CreateBatch();
            commands.BatchCommands.Add(VideoPolls.Release(batch));
            await commands.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException ex)
        {
            LogBatchFailed(logger, batch.Count, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Giving back {Count} unsent polls failed; their videos are polled again when the claims expire")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);
}
