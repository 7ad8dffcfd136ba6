using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Poe.WebhookBridge.Clients;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Infrastructure.Problems;

namespace Poe.WebhookBridge.Watches;

internal static class CancelWatchEndpoint
{
    /// <summary>Idempotent: an ended watch is returned as it is. Undelivered webhooks of a cancelled watch (held ones too) are dropped.</summary>
    public static async Task<Results<Ok<WatchResponse>, ProblemHttpResult>> HandleAsync(
        string id, HttpContext context, ClientRegistry clients, BridgeDbContext db, TimeProvider time, ILogger<Watch> logger, CancellationToken cancellationToken)
    {
        var client = context.CurrentClient(clients);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var watch = await db.Watches.FromSql($"SELECT * FROM bridge.watches WHERE id = {id} FOR UPDATE")
            .Where(w => w.ClientName == client.Name).SingleOrDefaultAsync(cancellationToken);
        if (watch is null)
        {
            return Problems.NotFound("watch");
        }

        if (watch.Status == WatchStatus.Active)
        {
            watch.Status = WatchStatus.Cancelled;
            watch.EndedAt = time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
            WatchLog.Ended(logger, watch);
        }

        await db.WebhookEvents.Where(e => e.WatchId == id && (e.Status == DeliveryStatus.Pending || e.Status == DeliveryStatus.Held))
            .ExecuteUpdateAsync(e => e.SetProperty(x => x.Status, DeliveryStatus.Failed).SetProperty(x => x.NextAttemptAt, (DateTimeOffset?)null), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(WatchResponse.From(watch, nextPollAt: null));
    }
}
