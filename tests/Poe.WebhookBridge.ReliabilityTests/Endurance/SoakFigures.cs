using System.Globalization;
using System.Text;

namespace Poe.WebhookBridge.ReliabilityTests.Endurance;

/// <summary>One figure at the start (after the warm-up) and at the end of a soak, and whether its growth is within its rule.</summary>
public sealed record SoakFigure(string Name, double Start, double End, string Rule, bool Flat)
{
    public double Growth => Start == 0 ? (End == 0 ? 1 : double.PositiveInfinity) : End / Start;
}

/// <summary>
/// Compares the samples of a window right after the warm-up with those of the last window. Resources (RSS,
/// connections, threads, file descriptors, summed over the instances) are averaged over each window and may grow at
/// most <see cref="MaxGrowth"/>. Rows reach a steady state only where something removes them: ended watches and their
/// events and attempts after <c>Retention:Period</c> (a purge every <c>Retention:Schedule</c>), poll targets when the
/// video ends, Hangfire's queue, locks and counters within a minute. Those tables follow a saw-tooth (rows pile up
/// until the next purge), so each is judged by its mean over the window (which spans several purges: a single sample,
/// or the peak, depends on where the window falls in the saw-tooth), which may grow by <see cref="MaxGrowth"/> or,
/// in a table of a handful of rows (servers, locks, keys), by <see cref="RowSlack"/> rows. Two kinds of rows are kept
/// for a fixed time longer than a CI soak, so they grow by design and are judged by that time instead: finished
/// Hangfire jobs (with their states and parameters) for 10 minutes — none may be kept past its expiration, and the
/// states and parameters per job stay flat —, and idempotency keys and gateway requests for 24 hours — at most one
/// row per request sent with a key.
/// </summary>
public static class SoakFigures
{
    public const double MaxGrowth = 1.10;
    public const int RowSlack = 5;

    private static readonly string[] JobChildren = ["hangfire.state", "hangfire.jobparameter"];
    private static readonly string[] KeptADay = ["bridge.idempotency_records", "bridge.gateway_requests"];

    public static IReadOnlyList<SoakFigure> Compare(IReadOnlyList<ResourceSample> start, IReadOnlyList<ResourceSample> end, int keyedRequests)
    {
        var figures = new List<SoakFigure>
        {
            Resource("rss_mb", start, end, i => i.RssMb),
            Resource("db_connections", start, end, i => i.Connections),
            Resource("threads", start, end, i => i.Threads),
            Resource("open_fds", start, end, i => i.OpenFiles),
        };
        foreach (var table in end[^1].Rows.Keys.Order(StringComparer.Ordinal))
        {
            double first = start.Max(s => s.Rows.GetValueOrDefault(table)), last = end.Max(s => s.Rows.GetValueOrDefault(table));
            figures.Add(table switch
            {
                "hangfire.job" => new SoakFigure(table, first, last, "no finished job kept past expiration", end.Concat(start).Max(s => s.OverdueJobs) == 0),
                _ when JobChildren.Contains(table) => PerJob(table, start, end),
                _ when KeptADay.Contains(table) => new SoakFigure(table, first, last, $"kept 24 h: +{last - first:0} <= {keyedRequests} keyed requests", last - first <= keyedRequests),
                _ => Steady(table, start, end),
            });
        }

        return figures;
    }

    public static string Table(IReadOnlyList<SoakFigure> figures)
    {
        var table = new StringBuilder("| figure | start | end | growth | rule | flat |\n|---|---:|---:|---:|---|---|\n");
        foreach (var f in figures)
        {
            table.Append(CultureInfo.InvariantCulture, $"| {f.Name} | {f.Start:0.#} | {f.End:0.#} | x{f.Growth:0.00} | {f.Rule} | {(f.Flat ? "yes" : "**NO**")} |\n");
        }

        return table.ToString();
    }

    private static SoakFigure Resource(string name, IReadOnlyList<ResourceSample> start, IReadOnlyList<ResourceSample> end, Func<ProcessResources, double> figure)
    {
        double first = start.Average(s => s.Instances.Sum(figure)), last = end.Average(s => s.Instances.Sum(figure));
        return new SoakFigure(name, first, last, $"sum over the instances, mean <= x{MaxGrowth:0.00}", last <= first * MaxGrowth);
    }

    private static SoakFigure Steady(string table, IReadOnlyList<ResourceSample> start, IReadOnlyList<ResourceSample> end)
    {
        double first = start.Average(s => s.Rows.GetValueOrDefault(table)), last = end.Average(s => s.Rows.GetValueOrDefault(table));
        return new SoakFigure(table, first, last, $"mean <= x{MaxGrowth:0.00} or +{RowSlack}", last <= Math.Max(first * MaxGrowth, first + RowSlack));
    }

    private static SoakFigure PerJob(string table, IReadOnlyList<ResourceSample> start, IReadOnlyList<ResourceSample> end)
    {
        static double Ratio(IReadOnlyList<ResourceSample> samples, string table) =>
            samples.Average(s => s.Rows.GetValueOrDefault(table) / (double)Math.Max(1, s.Rows.GetValueOrDefault("hangfire.job")));
        double first = Ratio(start, table), last = Ratio(end, table);
        return new SoakFigure(table + " per job", first, last, $"mean <= x{MaxGrowth:0.00}", last <= first * MaxGrowth);
    }
}
