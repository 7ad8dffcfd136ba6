using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
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
    BridgeDbContext db, GatewayRequests gatewayRequests, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionJob> logger)
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
            var batch = await ExpiredWatchesAsync(endedBefore, cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            // Children first, so each statement touches one table only; each repeats the rule that keeps a watch with
            // an event still pending delivery (a redelivery, or a retention period shorter than the retry schedule) or
            // held for a disabled endpoint, since one may have become pending since the batch was picked.
            var ids = batch.ToArray();
            attempts += await db.Database.ExecuteSqlAsync($"""
                DELETE FROM bridge.delivery_attempts a USING bridge.webhook_events e
                WHERE a.event_id = e.id AND e.watch_id = ANY({ids})
                  AND NOT EXISTS (SELECT 1 FROM bridge.webhook_events p WHERE p.watch_id = e.watch_id AND p.status IN ('pending', 'held'))
                """, cancellationToken);
            events += await db.Database.ExecuteSqlAsync($"""
                DELETE FROM bridge.webhook_events e
                WHERE e.watch_id = ANY({ids})
                  AND NOT EXISTS (SELECT 1 FROM bridge.webhook_events p WHERE p.watch_id = e.watch_id AND p.status IN ('pending', 'held'))
                """, cancellationToken);
            var deleted = await db.Database.ExecuteSqlAsync($"""
                DELETE FROM bridge.watches w
                WHERE w.id = ANY({ids}) AND w.ended_at < {endedBefore}
                  AND NOT EXISTS (SELECT 1 FROM bridge.webhook_events p WHERE p.watch_id = w.id AND p.status IN ('pending', 'held'))
                """, cancellationToken);
            watches += deleted;
            if (deleted == 0)
            {
                // Another instance's purge took this batch: it is purging the rest too.
                break;
            }
        }

        var idempotencyRecords = await DeleteInBatchesAsync(() => db.Database.ExecuteSqlAsync($"""
            DELETE FROM bridge.idempotency_records WHERE ctid = ANY(ARRAY(
                SELECT ctid FROM bridge.idempotency_records
                WHERE created_at <= {createdBefore}
                ORDER BY created_at
                LIMIT {BatchSize} FOR UPDATE SKIP LOCKED))
            """, cancellationToken), cancellationToken);

        var answeredGatewayRequests = await DeleteInBatchesAsync(
            () => gatewayRequests.PurgeAnsweredAsync(createdBefore, BatchSize, cancellationToken), cancellationToken);

        LogPurged(logger, watches, events, attempts, idempotencyRecords + answeredGatewayRequests, options.Value.Period);
    }

    /// <summary>
    /// The oldest ended watches past the period, walked on <c>ix_watches_ended_at</c> so a batch costs O(batch) however
    /// many watches exist; a watch with an event still to deliver is skipped until that event settles.
    /// </summary>
    private Task<List<string>> ExpiredWatchesAsync(DateTimeOffset endedBefore, CancellationToken cancellationToken) =>
        db.Database.SqlQuery<string>($"""
            SELECT w.id AS "Value" FROM bridge.watches w
            WHERE w.ended_at < {endedBefore}
              AND NOT EXISTS (SELECT 1 FROM bridge.webhook_events p WHERE p.watch_id = w.id AND p.status IN ('pending', 'held'))
            ORDER BY w.ended_at
            LIMIT {BatchSize}
            """).ToListAsync(cancellationToken);

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
