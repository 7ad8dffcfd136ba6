using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Operations;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Polling;

/// <summary>
/// Fails watches older than <c>Polling:MaxWatchDuration</c> — as <c>unauthorized</c> when Poe rejects their key (such
/// watches are never failed earlier for it), otherwise <c>timed_out</c> — and refreshes the active-watch gauge (at most every
/// <see cref="BridgeMetrics.ActiveWatchesEvery"/>).
/// </summary>
public sealed class WatchExpiry(BridgeDbContext db, IOptions<PollingOptions> polling, BridgeMetrics metrics, TimeProvider time, ILogger<WatchExpiry> logger)
{
    private const int BatchSize = 200;

    private const string ExpiredSql = $"""
        SELECT id FROM bridge.watches WHERE status = '{WatchStatus.Active}' AND created_at <= $1
        ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED
        """;

    /// <returns>Whether webhook events were written.</returns>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cutoff = now - polling.Value.MaxWatchDuration;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var expired = await LockExpiredAsync(transaction.Npgsql(), cutoff, cancellationToken);
        var events = 0;
        if (expired.Count > 0)
        {
            var keyIds = expired.Select(w => w.PoeKeyId).Distinct().ToList();
            var rejected = await db.PoeKeys.Where(k => keyIds.Contains(k.Id) && k.UnauthorizedSince != null).Select(k => k.Id).ToListAsync(cancellationToken);
            await using var failures = new NpgsqlBatch(db.Database.Connection(), transaction.Npgsql());
            foreach (var watch in expired)
            {
                events += WatchFailures.Fail(failures, watch, rejected.Contains(watch.PoeKeyId) ? WatchFailures.Unauthorized : WatchFailures.TimedOut, now);
            }

            await failures.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        foreach (var watch in expired)
        {
            WatchLog.Ended(logger, watch);
        }

        if (metrics.ActiveWatchesDue(now))
        {
            metrics.ActiveWatches(await db.Watches.CountAsync(w => w.Status == WatchStatus.Active, cancellationToken));
        }

        return events > 0;
    }

    /// <summary>
    /// Locks a batch of expired active watches and reads them with the polls their targets counted taken in (so the
    /// failed watches keep them). Read, not tracked: every change of a watch is a statement of WatchRows.
    /// </summary>
    private async Task<List<Watch>> LockExpiredAsync(NpgsqlTransaction transaction, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await using (var pick = SqlCommands.Create(transaction.Connection!, transaction, ExpiredSql, cutoff, BatchSize))
        await using (var reader = await pick.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetString(0));
            }
        }

        if (ids.Count == 0)
        {
            return [];
        }

        await using (var catchUp = new NpgsqlBatch(transaction.Connection, transaction))
        {
            WatchRows.AddCatchUp(catchUp, [.. ids]);
            await catchUp.ExecuteNonQueryAsync(cancellationToken);
        }

        return await db.Watches.Where(w => ids.Contains(w.Id)).OrderBy(w => w.CreatedAt).ToListAsync(cancellationToken);
    }
}
