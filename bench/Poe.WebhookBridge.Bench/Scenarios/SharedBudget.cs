using System.Globalization;
using Poe.Simulator;
using Poe.Simulator.Auth;
using Poe.Simulator.Videos;
using Poe.WebhookBridge.Bench.Infrastructure;
using Poe.WebhookBridge.Bench.Reporting;

namespace Poe.WebhookBridge.Bench.Scenarios;

/// <summary>
/// Scenario 7: three instances on one database share one Poe key whose budget is a third of the demand. The simulator
/// counts every request as it arrives: how much of the budget is used once running, and whether any 60 s window holds more.
/// </summary>
public static class SharedBudget
{
    private const int Instances = 3;
    private const string PoeKey = "poe-key-s7";

    public static async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var quick = context.Quick;
        var budget = quick ? 60 : 120;
        var interval = TimeSpan.FromSeconds(quick ? 5 : 10);
        // Three times the budget: each video wants 60 / interval polls a minute.
        var videos = (int)(3 * budget * interval.TotalSeconds / 60);
        var warmUp = TimeSpan.FromSeconds(2);
        // One cycle of the rate slots (a slot is free again 60 s + a 3 s margin after its claim): under demand they are
        // taken again the moment they free, so the opening burst echoes every 63 s and a 60 s window may miss one echo.
        var window = TimeSpan.FromSeconds(quick ? 5 : 63);
        var started = DateTimeOffset.UtcNow;
        await using var simulator = await InProcessSimulator.StartAsync(o => o.RequestsPerMinute = budget);
        var db = await context.CreateBridgeDatabaseAsync("bench_s7");
        var settings = new Dictionary<string, string>
        {
            ["Poe__RequestsPerMinute"] = budget.ToString(CultureInfo.InvariantCulture),
            ["Polling__Interval"] = interval.ToString(),
            // The budget mechanism under demand it cannot meet: fixed polling asks for every poll, where adaptive
            // polling asks only for the ones worth a request (it aims at 88 % of a short key's budget, by design).
            ["Polling__Strategy"] = "fixed",
        };
        var bridges = await Task.WhenAll(Enumerable.Range(0, Instances).Select(i => context.StartBridgeAsync($"s7-{i}", db, simulator.BaseUrl, PoeKey, settings)));
        try
        {
            BenchContext.Say($"scenario 7: {Instances} instances, one key at {budget} rpm, {videos} videos at {interval.TotalSeconds:0} s (demand {3 * budget} rpm)");
            var apis = bridges.Select(b => new BridgeApi(b.Url)).ToArray();
            var t0 = DateTimeOffset.UtcNow;
            await Load.ForAllAsync(videos, 8, i =>
            {
                var video = simulator.Videos.Create(new VideoSpec { Id = $"video_s7_{i}", QueuedTime = TimeSpan.Zero, RunningTime = TimeSpan.FromHours(1) });
                return apis[i % Instances].RegisterAsync(video.Id, new Uri("http://127.0.0.1:9/hooks/s7"));
            });
            foreach (var api in apis)
            {
                api.Dispose();
            }

            var from = t0 + warmUp;
            await Task.Delay(from + window - DateTimeOffset.UtcNow);
            var keyId = ApiKeys.KeyId(PoeKey);
            var requests = simulator.Requests.Since(t0.ToUnixTimeMilliseconds()).Where(e => e.KeyId == keyId).ToList();
            var steady = requests.Count(e => e.AtMs >= from.ToUnixTimeMilliseconds() && e.AtMs < (from + window).ToUnixTimeMilliseconds());
            var allowed = budget * window.TotalSeconds / 60;
            var (max, over) = Stats.Windows([.. requests.Select(e => e.AtMs)], budget);
            var throttled = requests.Count(e => e.Status == 429);
            var figures = new List<Figure>
            {
                new(7, $"budget used, {window.TotalSeconds:0} s after warm-up", steady, "budget", allowed, "req", true, "≥ 0.95", 0.95,
                    $"{requests.Count} requests in {(DateTimeOffset.UtcNow - t0).TotalSeconds:0} s; busiest 60 s window {max}"),
                new(7, "over-budget 60 s windows", over, "allowed", 0, "windows", false, "0", null, $"429s: {throttled}", MetOverride: over == 0),
            };
            var absolute = new Dictionary<string, double>
            {
                ["budget_rpm"] = budget, ["demand_rpm"] = 3 * budget, ["videos"] = videos, ["requests_in_window"] = steady,
                ["budget_fraction"] = steady / allowed, ["max_60s_window"] = max, ["over_budget_windows"] = over, ["throttled"] = throttled,
            };
            var workload = string.Create(CultureInfo.InvariantCulture,
                $"{Instances} bridge instances on one database, one Poe key at Poe:RequestsPerMinute {budget} (the simulator enforces the same limit), {videos} watches registered " +
                $"round-robin through the three instances on videos in progress throughout, Polling:Strategy fixed, Polling:Interval {interval.TotalSeconds:0} s: demand {3 * budget} rpm, 3× the budget. " +
                $"Requests counted at the simulator as they arrive: budget used = requests between {warmUp.TotalSeconds:0} s and {(warmUp + window).TotalSeconds:0} s after registration (one 63 s cycle of the rate slots) / " +
                $"the budget for that time; windows = every 60 s window ending at a request, over the whole run.");
            return new ScenarioResult(7, "shared budget", workload, (DateTimeOffset.UtcNow - started).TotalSeconds, figures, absolute);
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
