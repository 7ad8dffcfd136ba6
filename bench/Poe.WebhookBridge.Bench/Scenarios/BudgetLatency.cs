using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Serialization;
using Poe.Simulator;
using Poe.Simulator.Auth;
using Poe.Simulator.Videos;
using Poe.WebhookBridge.Bench.Infrastructure;
using Poe.WebhookBridge.Bench.Reporting;

namespace Poe.WebhookBridge.Bench.Scenarios;

/// <summary>
/// Scenario 4 (issue 8's must-show): one Poe key per poller at the budget, realistic videos always in flight. Three
/// pollers watch the very same videos at the same time, each with its own key (the simulator limits per key):
/// the bridge with adaptive polling, the bridge with fixed polling, and the hand-written round-robin baseline.
/// Real time throughout: Poe's budget is per real minute, so only the videos' durations are shortened.
/// </summary>
public static class BudgetLatency
{
    private sealed record Kind(string Model, int Seconds, double NominalSeconds);

    private sealed record Run(string Id, DateTimeOffset EndsAt);

    public static async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var quick = context.Quick;
        var lanes = quick ? 40 : 200;
        var budget = quick ? 100 : 500;
        var runFor = TimeSpan.FromSeconds(quick ? 12 : 240);
        var warmUp = TimeSpan.FromSeconds(quick ? 5 : 60);
        var grace = TimeSpan.FromSeconds(quick ? 3 : 40);
        // Videos ending after this had durations learned from completed ones (the first completions come at ~70 s).
        var warmFrom = TimeSpan.FromSeconds(quick ? 10 : 150);
        Kind[] kinds = quick
            ? [new("Sora-2", 8, 10), new("Sora-2-Pro", 12, 18)]
            : [new("Sora-2", 8, 90), new("Sora-2-Pro", 12, 150)];
        var (queuedMin, queuedMax) = quick ? (2.0, 5.0) : (5.0, 20.0);
        const int Seed = 20261129;
        var started = DateTimeOffset.UtcNow;

        await using var simulator = await InProcessSimulator.StartAsync(o => o.RequestsPerMinute = budget);
        await using var receiver = await Receiver.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["Poe__RequestsPerMinute"] = budget.ToString(CultureInfo.InvariantCulture),
            ["Polling__Interval"] = "00:00:02",
            ["Polling__MaxInterval"] = "00:01:00",
        };
        var adaptiveDb = await context.CreateBridgeDatabaseAsync("bench_s4_adaptive");
        var fixedDb = await context.CreateBridgeDatabaseAsync("bench_s4_fixed");
        var bridges = await Task.WhenAll(
            context.StartBridgeAsync("s4-adaptive", adaptiveDb, simulator.BaseUrl, "poe-key-adaptive", new Dictionary<string, string>(settings) { ["Polling__Strategy"] = "adaptive" }),
            context.StartBridgeAsync("s4-fixed", fixedDb, simulator.BaseUrl, "poe-key-fixed", new Dictionary<string, string>(settings) { ["Polling__Strategy"] = "fixed" }));
        await using var adaptive = bridges[0];
        await using var fixedBridge = bridges[1];
        using var adaptiveApi = new BridgeApi(adaptive.Url);
        using var fixedApi = new BridgeApi(fixedBridge.Url);
        var baseline = new RoundRobinPoller(simulator.BaseUrl, "poe-key-baseline", budget);
        using var stopBaseline = new CancellationTokenSource();
        var baselineLoop = baseline.RunAsync(stopBaseline.Token);

        BenchContext.Say($"scenario 4: {lanes} lanes at {budget} rpm for {runFor.TotalSeconds:0} s (+{grace.TotalSeconds:0} s grace)");
        var t0 = DateTimeOffset.UtcNow;
        var runs = new ConcurrentBag<Run>();
        var registrationErrors = 0;
        async Task Lane(int lane)
        {
            var random = new Random(Seed + lane);
            await Task.Delay(TimeSpan.FromSeconds(random.NextDouble() * (quick ? 5 : 15)));
            for (var n = 0; DateTimeOffset.UtcNow < t0 + runFor; n++)
            {
                var kind = kinds[random.Next(kinds.Length)];
                var total = kind.NominalSeconds * (0.8 + (0.4 * random.NextDouble()));
                var queued = queuedMin + ((queuedMax - queuedMin) * random.NextDouble());
                var video = simulator.Videos.Create(new VideoSpec
                {
                    Id = $"video_s4_{lane}_{n}",
                    Model = kind.Model,
                    Seconds = kind.Seconds,
                    QueuedTime = TimeSpan.FromSeconds(queued),
                    RunningTime = TimeSpan.FromSeconds(total - queued),
                    Curve = ProgressCurveKind.Drifting,
                    Seed = random.Next(),
                });
                runs.Add(new Run(video.Id, video.FinishesAt));
                baseline.Add(video.Id);
                try
                {
                    await Task.WhenAll(
                        adaptiveApi.RegisterAsync(video.Id, receiver.Callback("adaptive")),
                        fixedApi.RegisterAsync(video.Id, receiver.Callback("fixed")));
                }
                catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref registrationErrors);
                }

                // The run ends on time: a lane does not wait for a video that ends after it.
                var next = Min(video.FinishesAt + TimeSpan.FromSeconds(2 + (3 * random.NextDouble())), t0 + runFor) - DateTimeOffset.UtcNow;
                if (next > TimeSpan.Zero)
                {
                    await Task.Delay(next);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, lanes).Select(Lane));
        var runEnd = t0 + runFor;
        await Task.Delay(Max(runEnd + grace - DateTimeOffset.UtcNow, TimeSpan.Zero));
        var measuredAt = DateTimeOffset.UtcNow;
        await stopBaseline.CancelAsync();
        await baselineLoop;

        var measured = runs.Where(r => r.EndsAt >= t0 + warmUp && r.EndsAt <= runEnd).ToList();
        var log = simulator.Requests.Since(t0.ToUnixTimeMilliseconds());
        Poller Measure(string name, string key, Func<string, DateTimeOffset?> detected)
        {
            var delays = new List<double>();
            var missed = 0;
            foreach (var run in measured)
            {
                if (detected(run.Id) is { } at)
                {
                    delays.Add(Math.Max(0, (at - run.EndsAt).TotalSeconds));
                }
                else
                {
                    missed++;
                    delays.Add((measuredAt - run.EndsAt).TotalSeconds); // censored: at least this late
                }
            }

            var keyId = ApiKeys.KeyId(key);
            var requests = log.Where(e => e.KeyId == keyId).ToList();
            var (max, over) = Stats.Windows([.. requests.Select(e => e.AtMs)], budget);
            var warm = measured.Where(r => r.EndsAt >= t0 + warmFrom).Select(r => detected(r.Id) is { } at ? Math.Max(0, (at - r.EndsAt).TotalSeconds) : (measuredAt - r.EndsAt).TotalSeconds).ToList();
            return new Poller(name, Stats.Percentile(warm, 50), Stats.Percentile(warm, 95), Stats.Percentile(delays, 50), Stats.Percentile(delays, 95), delays.Count == 0 ? double.NaN : delays.Average(),
                missed, requests.Count, requests.Count(e => e.Status == 429), max, over);
        }

        var a = Measure("adaptive", "poe-key-adaptive", id => receiver.TryGet("adaptive", id, out var r) ? r.At : null);
        var f = Measure("fixed", "poe-key-fixed", id => receiver.TryGet("fixed", id, out var r) ? r.At : null);
        var b = Measure("round-robin", "poe-key-baseline", id => baseline.Detected.TryGetValue(id, out var at) ? at : null);
        foreach (var p in new[] { a, f, b })
        {
            BenchContext.Say($"  {p}");
        }

        const string Rr = "hand-written round-robin";
        var figures = new List<Figure>
        {
            new(4, "detection delay p50, bridge adaptive", a.P50, Rr, b.P50, "s", false, "≤ 0.33 (3× lower)", 1 / 3.0, $"mean {a.Mean:0.0} s vs {b.Mean:0.0} s; {a.Missed} not detected; ending after {warmFrom.TotalSeconds:0} s: {a.WarmP50:0.0} vs {b.WarmP50:0.0} s"),
            new(4, "detection delay p95, bridge adaptive", a.P95, Rr, b.P95, "s", false, "≤ 0.5 (2× lower)", 0.5, $"ending after {warmFrom.TotalSeconds:0} s: {a.WarmP95:0.0} vs {b.WarmP95:0.0} s"),
            new(4, "detection delay p50, bridge fixed", f.P50, Rr, b.P50, "s", false, "–", null, $"mean {f.Mean:0.0} s; {f.Missed} not detected"),
            new(4, "detection delay p95, bridge fixed", f.P95, Rr, b.P95, "s", false, "–", null, $"ending after {warmFrom.TotalSeconds:0} s: {f.WarmP95:0.0} s"),
            new(4, "requests spent, bridge adaptive", a.Requests, Rr, b.Requests, "req", false, "–", null, $"max in 60 s: {a.MaxWindow} (budget {budget}); 429s: {a.Throttled}"),
            new(4, "requests spent, bridge fixed", f.Requests, Rr, b.Requests, "req", false, "–", null, $"max in 60 s: {f.MaxWindow}; 429s: {f.Throttled}; round-robin max {b.MaxWindow}, 429s {b.Throttled}"),
            new(4, "over-budget 60 s windows, adaptive / fixed", a.OverBudget, "round-robin", b.OverBudget, "windows", false, "0", null, $"fixed: {f.OverBudget}", MetOverride: a.OverBudget == 0 && f.OverBudget == 0),
        };
        var absolute = new Dictionary<string, double>
        {
            ["videos_measured"] = measured.Count,
            ["videos_total"] = runs.Count,
            ["registration_errors"] = registrationErrors,
        };
        foreach (var p in new[] { a, f, b })
        {
            Absolute.Add(absolute, p, key => $"{p.Name}_{key}");
        }

        var workload = string.Create(CultureInfo.InvariantCulture,
            $"{lanes} lanes, each always one video in flight: {string.Join(" or ", kinds.Select(k => $"{k.Model}/{k.Seconds}s ~{k.NominalSeconds:0} s total ±20 %"))} " +
            $"(50/50, progress drifting ±3 points around the time elapsed then 99 for the last 2–8 %, queued {queuedMin:0}–{queuedMax:0} s), next video 2–5 s after the previous ends; seed {Seed}; " +
            $"{runFor.TotalSeconds:0} s of arrivals, delays measured for the {measured.Count} videos ending between {warmUp.TotalSeconds:0} s and {runFor.TotalSeconds:0} s " +
            $"(cold start included: no learned durations at t=0), {grace.TotalSeconds:0} s grace; each poller its own key at {budget} rpm; " +
            $"bridges: Polling:Interval 2 s, MaxInterval 60 s; delay = webhook received (bridge) or terminal answer received (round-robin) − terminal time at the simulator.");
        return new ScenarioResult(4, "notification latency under the Poe budget", workload, (DateTimeOffset.UtcNow - started).TotalSeconds, figures, absolute);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed record Poller(
        string Name,
        [property: JsonPropertyName("warm_p50_s")] double WarmP50,
        [property: JsonPropertyName("warm_p95_s")] double WarmP95,
        [property: JsonPropertyName("p50_s")] double P50,
        [property: JsonPropertyName("p95_s")] double P95,
        [property: JsonPropertyName("mean_s")] double Mean,
        [property: JsonPropertyName("not_detected")] int Missed,
        [property: JsonPropertyName("requests")] int Requests,
        [property: JsonPropertyName("429s")] int Throttled,
        [property: JsonPropertyName("max_60s_window")] int MaxWindow,
        [property: JsonPropertyName("over_budget_windows")] int OverBudget);
}
