using System.Globalization;
using Poe.Simulator;
using Poe.Simulator.Videos;
using Poe.WebhookBridge.Bench.Infrastructure;
using Poe.WebhookBridge.Bench.Reporting;

namespace Poe.WebhookBridge.Bench.Scenarios;

/// <summary>
/// Scenario 6: the bridge's memory and CPU with 0, 10k and 100k active watches at a slow interval. State lives in
/// PostgreSQL, so memory should not grow with the number of watches. Three bridges run side by side, one per size, so
/// they share the machine's conditions; the 0-watch bridge is the baseline.
/// </summary>
public static class Footprint
{
    private const double MiB = 1024 * 1024;

    public static async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var quick = context.Quick;
        int[] sizes = quick ? [0, 1000, 10_000] : [0, 10_000, 100_000];
        var settle = TimeSpan.FromSeconds(quick ? 2 : 8);
        var window = TimeSpan.FromSeconds(quick ? 2 : 10);
        var interval = TimeSpan.FromHours(1);
        var started = DateTimeOffset.UtcNow;
        await using var simulator = await InProcessSimulator.StartAsync(o => o.RequestsPerMinute = 1_000_000);
        for (var i = 0; i < sizes.Max(); i++)
        {
            simulator.Videos.Create(new VideoSpec { Id = $"video_s6_{i}", QueuedTime = TimeSpan.Zero, RunningTime = TimeSpan.FromHours(2) });
        }

        var settings = new Dictionary<string, string>
        {
            ["Polling__Interval"] = interval.ToString(),
            ["Polling__MaxInterval"] = interval.ToString(),
        };
        var dbs = await Task.WhenAll(sizes.Select(n => context.CreateBridgeDatabaseAsync($"bench_s6_{n}")));
        var bridges = await Task.WhenAll(sizes.Select((n, i) => context.StartBridgeAsync($"s6-{n}", dbs[i], simulator.BaseUrl, "poe-key-s6", settings)));
        try
        {
            BenchContext.Say($"scenario 6: bridges with {string.Join(", ", sizes)} active watches; interval {interval.TotalMinutes:0} min");
            await Task.WhenAll(sizes.Select((n, i) => Seed.ActiveWatchesAsync(dbs[i], n, "video_s6_", new Uri("http://127.0.0.1:9/hooks/s6"), [("bench", "poe-key-s6")], interval)));
            await Task.Delay(settle);
            var first = bridges.Select(b => b.Footprint()).ToArray();
            var peak = first.Select(f => f.RssBytes).ToArray();
            var end = DateTimeOffset.UtcNow + window;
            while (DateTimeOffset.UtcNow < end)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
                for (var i = 0; i < bridges.Length; i++)
                {
                    peak[i] = Math.Max(peak[i], bridges[i].Footprint().RssBytes);
                }
            }

            var cpu = bridges.Select((b, i) => (b.Footprint().Cpu - first[i].Cpu) / window * 100).ToArray();
            var rss = peak.Select(p => p / MiB).ToArray();
            var (largest, middle) = (sizes.Length - 1, 1);
            var figures = new List<Figure>
            {
                new(6, $"RSS, {sizes[largest]:N0} active watches", rss[largest], "0 watches", rss[0], "MB", false, "≤ 300 MB and flat (≤ 1.25×)", null,
                    $"{sizes[middle]:N0} watches: {rss[middle]:0} MB", MetOverride: rss[largest] <= 300 && rss[largest] <= 1.25 * rss[0]),
                new(6, $"CPU, {sizes[largest]:N0} active watches", cpu[largest], "0 watches", cpu[0], "% of a core", false, "–", null,
                    $"{sizes[middle]:N0} watches: {cpu[middle]:0.0} %"),
            };
            var absolute = new Dictionary<string, double>();
            for (var i = 0; i < sizes.Length; i++)
            {
                absolute[$"rss_mb_{sizes[i]}"] = rss[i];
                absolute[$"cpu_percent_{sizes[i]}"] = cpu[i];
            }

            var workload = string.Create(CultureInfo.InvariantCulture,
                $"three bridges side by side (each its own database, same key, Poe:RequestsPerMinute 500), with {string.Join(" / ", sizes.Select(n => n.ToString("N0", CultureInfo.InvariantCulture)))} active watches " +
                $"written straight into their tables (the rows POST /v1/watches writes), first polls spread over the next hour, Polling:Interval 1 h, videos in progress throughout; " +
                $"after {settle.TotalSeconds:0} s, peak RSS (VmRSS) and CPU (utime + stime over wall time, % of one core) of each bridge process over {window.TotalSeconds:0} s. " +
                $"The larger sizes poll ({sizes[largest]:N0} at 1 h is {sizes[largest] / interval.TotalSeconds:0.#} polls/s, the budget allows 8.3/s), so their CPU includes that work.");
            return new ScenarioResult(6, "footprint", workload, (DateTimeOffset.UtcNow - started).TotalSeconds, figures, absolute);
        }
        finally
        {
            foreach (var bridge in bridges)
            {
                await bridge.DisposeAsync();
            }
        }
    }
}
