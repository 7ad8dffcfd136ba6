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
/// Every statement deletes at most <see cref="BatchSize"/> rows of one table and commits on its own, so no lock is held
/// for long and the API and the pollers keep running.
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

        // Children first, so each statement touches one table only; a watch with an event still pending delivery
        // (a redelivery, or a retention period shorter than the retry schedule) or held for a disabled endpoint is kept
        // until that event settles.
        var attempts = await DeleteInBatchesAsync(() => db.Database.ExecuteSqlAsync($"""
            DELETE FROM bridge.delivery_attempts WHERE id IN (
                SELECT a.id FROM bridge.delivery_attempts a
                JOIN bridge.webhook_events e ON e.id = a.event_id
                JOIN bridge.watches w ON w.id = e.watch_id
                WHERE w.ended_at < {endedBefore}
                  AND NOT EXISTS (SELECT 1 FROM bridge.webhook_events p WHERE p.watch_id = w.id AND p.status IN ('pending', 'held'))
                LIMIT {BatchSize} FOR UPDATE OF a SKIP LOCKED)
            """, cancellationToken), cancellationToken);
        var events = await DeleteInBatchesAsync(() => db.Database.ExecuteSqlAsync($"""
            DELETE FROM bridge.webhook_events WHERE id IN (
                SELECT e.id FROM bridge.webhook_events e
                JOIN bridge.watches w ON w.id = e.watch_id
                WHERE w.ended_at < {endedBefore}
                  AND NOT EXISTS (SELECT 1 FROM bridge.webhook_events p WHERE p.watch_id = w.id AND p.status IN ('pending', 'held'))
                LIMIT {BatchSize} FOR UPDATE OF e SKIP LOCKED)
            """, cancellationToken), cancellationToken);
        var watches = await DeleteInBatchesAsync(() => db.Database.ExecuteSqlAsync($"""
            DELETE FROM bridge.watches WHERE id IN (
                SELECT w.id FROM bridge.watches w
                WHERE w.ended_at < {endedBefore}
                  AND NOT EXISTS (SELECT 1 FROM bridge.webhook_events p WHERE p.watch_id = w.id AND p.status IN ('pending', 'held'))
                ORDER BY w.ended_at
                LIMIT {BatchSize} FOR UPDATE SKIP LOCKED)
            """, cancellationToken), cancellationToken);
        var idempotencyRecords = await DeleteInBatchesAsync(() => db.Database.ExecuteSqlAsync($"""
            DELETE FROM bridge.idempotency_records WHERE (client_name, key) IN (
                SELECT client_name, key FROM bridge.idempotency_records
                WHERE created_at <= {createdBefore}
                LIMIT {BatchSize} FOR UPDATE SKIP LOCKED)
            """, cancellationToken), cancellationToken);

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
