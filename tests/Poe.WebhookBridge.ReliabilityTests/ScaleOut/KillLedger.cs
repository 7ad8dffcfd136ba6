using Poe.WebhookBridge.ReliabilityTests.Support;

namespace Poe.WebhookBridge.ReliabilityTests.ScaleOut;

/// <summary>
/// SIGKILLs instances and measures, for each kill, the attempts that could come back as duplicates: webhooks the
/// consumer had received (up to <see cref="Receipt.SendLag"/> after the kill) whose 2xx no instance had recorded a
/// few seconds later. Only an instance that died between the consumer's answer and its write-back leaves those, so
/// each duplicate must be one of them, by webhook id, not by a time window.
/// </summary>
public sealed class KillLedger(BridgeCluster cluster)
{
    /// <summary>Longer than a live instance takes to record an attempt it has finished (batched writes, ~ms).</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    private readonly List<HashSet<string>> _unrecorded = [];

    /// <summary>Per kill, the attempts it left sent but unrecorded.</summary>
    public IReadOnlyList<int> InFlight => [.. _unrecorded.Select(u => u.Count)];

    public bool Explains(string webhookId) => _unrecorded.Any(u => u.Contains(webhookId));

    public async Task KillAndRestartAsync(int index)
    {
        await cluster.KillAsync(index);
        await Task.Delay(Receipt.SendLag);
        var received = Receipt.From(cluster.Receiver.Received).Select(r => r.WebhookId).ToHashSet();
        var restart = cluster.StartInstanceAsync(index);
        await Task.Delay(Settle);
        var recorded = await cluster.QueryAsync(
            $"SELECT DISTINCT event_id FROM bridge.delivery_attempts WHERE status_code BETWEEN 200 AND 299 AND event_id = ANY('{{{string.Join(',', received)}}}')",
            r => r.GetString(0));
        received.ExceptWith(recorded);
        _unrecorded.Add(received);
        await restart;
    }
}
