using Hangfire;
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
/// Every statement deletes at most <see cref="BatchSize"/> rows of one table and commits on its own, so no lock is held
/// for long and the API and the pollers keep running.
/// </summary>
[Queue("default")]
[AutomaticRetry(Attempts = 0)]
public sealed partial class RetentionJob(
    NpgsqlDataSource dataSource, GatewayRequests gatewayRequests, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionJob> logger)
{
    public const string RecurringJobId = "bridge:purge-ended-watches";
    public const int BatchSize = 1000;

    private const string PurgeEndedWatches = $"""
        DELETE FROM bridge.watches WHERE id IN (
            SELECT w.id FROM bridge.watches w
            WHERE w.ended_at < $1 AND NOT EXISTS ({WebhookEvents.UnsettledEventOfWatch})
            ORDER BY w.ended_at
            LIMIT $2 FOR UPDATE SKIP LOCKED)
        """;

    private const string PurgeIdempotencyRecords = """
        DELETE FROM bridge.idempotency_records WHERE (client_name, key) IN (
            SELECT client_name, key FROM bridge.idempotency_records
            WHERE created_at <= $1
            LIMIT $2 FOR UPDATE SKIP LOCKED)
        """;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var endedBefore = now - options.Value.Period;
        var createdBefore = now - IdempotencyClaim.Lifetime;

        // Children first, so each statement touches one table only; a watch with an event still pending delivery
        // (a redelivery, or a retention period shorter than the retry schedule) or held for a disabled endpoint is kept
        // until that event settles.
        var attempts = await DeleteInBatchesAsync(
            () => DeliveryAttempts.PurgeOfEndedWatchesAsync(dataSource, endedBefore, BatchSize, cancellationToken), cancellationToken);
        var events = await DeleteInBatchesAsync(
            () => WebhookEvents.PurgeOfEndedWatchesAsync(dataSource, endedBefore, BatchSize, cancellationToken), cancellationToken);
        var watches = await DeleteInBatchesAsync(() => ExecuteAsync(PurgeEndedWatches, endedBefore, cancellationToken), cancellationToken);
        var idempotencyRecords = await DeleteInBatchesAsync(() => ExecuteAsync(PurgeIdempotencyRecords, createdBefore, cancellationToken), cancellationToken);

        var answeredGatewayRequests = await DeleteInBatchesAsync(
            () => gatewayRequests.PurgeAnsweredAsync(createdBefore, BatchSize, cancellationToken), cancellationToken);

        LogPurged(logger, watches, events, attempts, idempotencyRecords + answeredGatewayRequests, options.Value.Period);
    }

    private async Task<int> ExecuteAsync(string sql, DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(dataSource, sql, before, BatchSize);
        return await command.ExecuteNonQueryAsync(cancellationToken);
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
