using Poe.Simulator.Requests;

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

    /// <summary>The middle value (the mean of the two middle ones for an even count); NaN for no samples.</summary>
    public static double Median(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0)
        {
            return double.NaN;
        }

        var sorted = samples.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The most requests in any 60 s window, and how many windows (one ending at each request) held more than the budget.</summary>
    public static (int Max, int OverBudget) Windows(IReadOnlyList<long> atMs, int budget)
    {
        var counts = RequestWindows.Counts(atMs, TimeSpan.FromMinutes(1)).ToList();
        return (counts.DefaultIfEmpty().Max(), counts.Count(c => c > budget));
    }
}
