namespace Poe.WebhookBridge.ReliabilityTests.Support;

/// <summary>Counts over the simulator's request log, as Poe's own limiter would see them.</summary>
public static class RateWindow
{
    /// <summary>The most requests in any window of <paramref name="windowMs"/> (a sliding window, like Poe's per-minute budget).</summary>
    public static int Busiest(IEnumerable<long> timesMs, long windowMs)
    {
        var times = timesMs.Order().ToList();
        var busiest = 0;
        for (int start = 0, end = 0; end < times.Count; end++)
        {
            while (times[end] - times[start] >= windowMs)
            {
                start++;
            }

            busiest = Math.Max(busiest, end - start + 1);
        }

        return busiest;
    }
}
