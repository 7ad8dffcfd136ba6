using Microsoft.EntityFrameworkCore;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Polling;

/// <summary>
/// <c>video.progress</c> is coalesced: while a watch's last progress webhook is still unsent (or held for a disabled
/// endpoint), it is updated instead of queueing another.
/// </summary>
internal static class ProgressEvents
{
    public static async Task<int> RecordAsync(BridgeDbContext db, List<Watch> watches, string videoJson, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var subscribed = watches.Where(w => w.Events.Contains(WatchEventTypes.VideoProgress)).ToList();
        if (subscribed.Count == 0)
        {
            return 0;
        }

        var ids = subscribed.Select(w => w.Id).ToList();
        // Locked so a delivery claim cannot take the row while its body changes; a row already claimed is past 'now' and left alone.
        var unsent = await db.WebhookEvents.FromSql($"""
                SELECT * FROM bridge.webhook_events
                WHERE watch_id = ANY({ids}) AND type = 'video.progress'
                  AND (status = 'held' OR (status = 'pending' AND attempt_count = 0 AND next_attempt_at <= {now}))
                FOR UPDATE SKIP LOCKED
                """).ToListAsync(cancellationToken);
        foreach (var watch in subscribed)
        {
            if (unsent.FirstOrDefault(e => e.WatchId == watch.Id) is { } pending)
            {
                pending.Payload = WebhookPayload.Build(pending.Id, pending.Type, pending.CreatedAt, watch, videoJson, failure: null);
            }
            else
            {
                db.WebhookEvents.Add(WebhookEvents.Create(watch, WatchEventTypes.VideoProgress, now, videoJson));
            }
        }

        return subscribed.Count;
    }
}
