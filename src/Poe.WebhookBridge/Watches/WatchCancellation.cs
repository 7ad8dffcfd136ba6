using Npgsql;
using Poe.WebhookBridge.Delivery;

namespace Poe.WebhookBridge.Watches;

/// <summary>
/// Cancelling a watch, by its client (<c>DELETE /v1/watches/{id}</c>) or by its consumer (a 410 to a webhook): the
/// watch ends and its undelivered events (held ones too) are dropped, in the caller's transaction.
/// </summary>
internal static class WatchCancellation
{
    /// <returns>The cancelling statement, whose RecordsAffected says whether the watch was still active.</returns>
    public static NpgsqlBatchCommand AddTo(NpgsqlBatch batch, string watchId, DateTimeOffset endedAt)
    {
        // Its polls are taken in first, so the cancelled watch keeps them.
        WatchRows.AddCatchUp(batch, [watchId]);
        var cancel = WatchRows.AddCancel(batch, watchId, endedAt);
        WebhookEvents.AddDropUndelivered(batch, watchId);
        return cancel;
    }
}
