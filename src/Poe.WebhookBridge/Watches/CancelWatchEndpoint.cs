using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Poe.WebhookBridge.Clients;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Infrastructure.Problems;

namespace Poe.WebhookBridge.Watches;

internal static class CancelWatchEndpoint
{
    private const string LockOwned = "SELECT 1 FROM bridge.watches WHERE id = $1 AND client_name = $2 FOR UPDATE";

    /// <summary>Idempotent: an ended watch is returned as it is. Undelivered webhooks of a cancelled watch (held ones too) are dropped.</summary>
    public static async Task<Results<Ok<WatchResponse>, ProblemHttpResult>> HandleAsync(
        string id, HttpContext context, ClientRegistry clients, NpgsqlDataSource dataSource, BridgeDbContext db, TimeProvider time, ILogger<Watch> logger,
        CancellationToken cancellationToken)
    {
        var client = context.CurrentClient(clients);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var owned = SqlCommands.Create(connection, transaction, LockOwned, id, client.Name))
        {
            if (await owned.ExecuteScalarAsync(cancellationToken) is null)
            {
                return Problems.NotFound("watch");
            }
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        var cancel = WatchCancellation.AddTo(batch, id, time.GetUtcNow());
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // Read after the commit, so the answer shows the watch as cancelled; only retention removes a watch, long after it ended.
        var watch = await db.Watches.SingleOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (watch is null)
        {
            return Problems.NotFound("watch");
        }

        if (cancel.RecordsAffected == 1)
        {
            WatchLog.Ended(logger, watch);
        }

        return TypedResults.Ok(WatchResponse.From(watch, nextPollAt: null));
    }
}
