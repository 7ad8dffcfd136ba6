using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.ReliabilityTests.Support;

/// <summary>The end of a run: no watch still active, no webhook still undelivered, and what reached the receiver.</summary>
public static class Settled
{
    /// <param name="deadEnds">Whether an event dead by the retry policy (<c>failed</c>) counts as settled, where faulty consumers are part of the run.</param>
    public static Task WaitAsync(BridgeCluster cluster, TimeSpan timeout, bool deadEnds = false) =>
        Eventually.TrueAsync(
            async () => (await cluster.QueryAsync(
                "SELECT (SELECT count(*) FROM bridge.watches WHERE status = 'active') + (SELECT count(*) FROM bridge.webhook_events WHERE status <> 'delivered'" +
                (deadEnds ? " AND status <> 'failed'" : "") + ")",
                r => r.GetInt64(0)))[0] == 0,
            timeout,
            cluster.DescribeAsync);

    /// <returns>Every watch (id and video), and how many of them no webhook reached the receiver for.</returns>
    public static async Task<(List<(string Id, string Video)> Watches, int Lost)> LostAsync(BridgeCluster cluster)
    {
        var watches = await cluster.QueryAsync("SELECT id, video_id FROM bridge.watches", r => (Id: r.GetString(0), Video: r.GetString(1)));
        var deliveries = Receipt.From(cluster.Receiver.Received);
        return (watches, watches.Count(w => !deliveries.Any(d => d.WatchId == w.Id)));
    }
}
