using Hangfire;
using Npgsql;
using Poe.WebhookBridge.Endpoints;
using Poe.WebhookBridge.Infrastructure;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Delivery;

/// <summary>
/// Writes finished attempts back in batches: each attempt row and its event's new state commit together. Until then
/// the event's lease stands, so a result lost to a crash only means one more attempt later (at least once).
/// </summary>
public sealed class AttemptRecorder(NpgsqlDataSource dataSource, IBackgroundJobClient jobs, EndpointHealth endpoints, ILogger<AttemptRecorder> logger)
    : BatchWriter<AttemptWriteback>(MaxBatch)
{
    private const int MaxBatch = 200;
    private const int WriteTries = 3;

    public void Record(AttemptWriteback writeback) => Add(writeback);

    protected override Task WriteBatchAsync(List<AttemptWriteback> batch) => WriteWithRetriesAsync(batch);

    private async Task WriteWithRetriesAsync(List<AttemptWriteback> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await WriteAsync(batch);
                return;
            }
            catch (PostgresException ex) when (batch.Count > 1 && !ex.IsTransient)
            {
                // One bad row must not cost the others their results: store them one by one.
                foreach (var single in batch)
                {
                    await WriteWithRetriesAsync([single]);
                }

                return;
            }
            catch (NpgsqlException ex) when (ex.IsTransient && attempt < WriteTries)
            {
                DeliveryLog.WritebackRetried(logger, batch.Count, attempt, ex);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
            catch (NpgsqlException ex)
            {
                // The leases will expire and these events be attempted again.
                DeliveryLog.WritebackFailed(logger, batch.Count, ex);
                return;
            }
        }
    }

    private async Task WriteAsync(List<AttemptWriteback> batch)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var commands = new NpgsqlBatch(connection, transaction);
        // Endpoints first: their rows are the only ones other write-backs also lock, and they lock them in one order.
        var reportEndpoints = endpoints.AddTo(commands, batch);
        var moves = batch.Select(writeback => AddWriteback(commands, writeback)).ToList();
        await commands.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        reportEndpoints();

        // Only events this attempt actually moved to dead: a redelivery meanwhile keeps one alive.
        foreach (var (writeback, move) in batch.Zip(moves))
        {
            if (writeback.IsDead && move.RecordsAffected == 1)
            {
                ReportDead(writeback);
            }
        }
    }

    /// <returns>The statement that moves the event, whose RecordsAffected says whether this attempt still owned it.</returns>
    private static NpgsqlBatchCommand AddWriteback(NpgsqlBatch batch, AttemptWriteback writeback)
    {
        DeliveryAttempts.Add(batch, writeback.Event.Id, writeback.Result);
        var move = WebhookEvents.AddAttemptOutcome(batch, writeback);
        if (writeback.Result.Gone)
        {
            // The consumer answered 410: it wants no more webhooks of this watch.
            WatchCancellation.AddTo(batch, writeback.Event.WatchId, writeback.Result.At + writeback.Result.Duration);
        }

        return move;
    }

    private void ReportDead(AttemptWriteback dead)
    {
        try
        {
            DeadWebhookJob.Report(jobs, dead);
        }
        catch (Exception ex)
        {
            // The event is dead in the database and the API either way; the dashboard entry is a convenience.
            DeliveryLog.DeadNotReported(logger, dead.Event.Id, ex);
        }
    }
}
