namespace Poe.WebhookBridge.Bench.Reporting;

public static class Stats
{
    /// <summary>Nearest-rank percentile; NaN for no samples.</summary>
    public static double Percentile(IReadOnlyCollection<double> samples, double p)
    {
        if (samples.Count == 0)
        {
            return double.NaN;
        }

        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>The most requests in any 60 s window, and how many windows (one ending at each request) held more than the budget.</summary>
    public static (int Max, int OverBudget) Windows(IReadOnlyList<long> atMs, int budget)
    {
        var sorted = atMs.Order().ToArray();
        var (max, over, start) = (0, 0, 0);
        for (var end = 0; end < sorted.Length; end++)
        {
            while (sorted[end] - sorted[start] >= 60_000)
            {
                start++;
            }

            var count = end - start + 1;
            max = Math.Max(max, count);
            if (count > budget)
            {
                over++;
            }
        }

        return (max, over);
    }
}
