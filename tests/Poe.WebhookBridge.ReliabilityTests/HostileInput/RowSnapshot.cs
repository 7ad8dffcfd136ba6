namespace Poe.WebhookBridge.ReliabilityTests.HostileInput;

/// <summary>
/// The full contents of every bridge table a request can write, each row as text, so that a changed value (not
/// only a new or missing row) is seen. Tables that background work changes on its own (polls, rate slots, keys,
/// statistics) are left out; the watch whose rows are compared is cancelled, so nothing polls it.
/// </summary>
public static class RowSnapshot
{
    private static readonly string[] Tables = ["watches", "webhook_events", "delivery_attempts", "idempotency_records", "endpoints", "recoveries", "gateway_requests"];

    public static async Task<List<string>> TakeAsync(Support.BridgeCluster cluster)
    {
        var rows = new List<string>();
        foreach (var table in Tables)
        {
            rows.AddRange(await cluster.QueryAsync($"SELECT '{table}: ' || t::text FROM bridge.{table} t ORDER BY 1", r => r.GetString(0)));
        }

        return rows;
    }
}
