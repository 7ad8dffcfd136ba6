using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Gateway;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Operations;

/// <summary>
/// The hourly recurring job that purges watches ended more than <c>Retention:Period</c> ago, with their events and
/// attempts, and idempotency records (of watches, and of gateway requests whose answer is known) past their 24 hours.
/// Every statement deletes the rows of one table for at most <see cref="BatchSize"/> watches (or that many records) and
/// commits on its own, so no lock is held for long and the API and the pollers keep running; each finds its rows through
/// an index, so a batch costs the same at a million watches as at a thousand.
/// </summary>
[Queue("default")]
[AutomaticRetry(Attempts = 0)]
public sealed partial class RetentionJob(
    BridgeDbContext db, NpgsqlDataSource dataSource, GatewayRequests gatewayRequests, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionJob> logger)
{
    public const string RecurringJobId = "bridge:purge-ended-watches";
    public const int BatchSize = 1000;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var endedBefore = now - options.Value.Period;
        var createdBefore = now - IdempotencyClaim.Lifetime;

        var (watches, events, attempts) = (0L, 0L, 0L);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = await WatchRows.ExpiredAsync(dataSource, endedBefore, BatchSize, cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            // Children first, so each statement touches one table only.
            var ids = batch.ToArray();
            attempts += await DeliveryAttempts.PurgeAsync(dataSource, ids, cancellationToken);
            events += await WebhookEvents.PurgeAsync(dataSource, ids, cancellationToken);
            var deleted = await WatchRows.PurgeAsync(dataSource, ids, cancellationToken);
            watches += deleted;
            if (deleted == 0)
            {
                // Another instance's purge took this batch: it is purging the rest too.
                break;
            }
        }

        var idempotencyRecords = await DeleteInBatchesAsync(
            () => db.Database.ExecuteSqlAsync(RetentionSql.DeleteIdempotencyRecords(createdBefore, BatchSize), cancellationToken), cancellationToken);

        var answeredGatewayRequests = await DeleteInBatchesAsync(
            () => gatewayRequests.PurgeAnsweredAsync(createdBefore, BatchSize, cancellationToken), cancellationToken);

        LogPurged(logger, watches, events, attempts, idempotencyRecords + answeredGatewayRequests, options.Value.Period);
    }

    private static async Task<long> DeleteInBatchesAsync(Func<Task<int>> deleteBatch, CancellationToken cancellationToken)
    {
        long total = 0;
        int deleted;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            deleted = await deleteBatch();
            total += deleted;
        }
        while (deleted > 0);

        return total;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Retention purged {Watches} watches ended more than {RetentionPeriod} ago with {Events} events and {Attempts} attempts, and {IdempotencyRecords} expired idempotency records")]
    private static partial void LogPurged(ILogger logger, long watches, long events, long attempts, long idempotencyRecords, TimeSpan retentionPeriod);
}
