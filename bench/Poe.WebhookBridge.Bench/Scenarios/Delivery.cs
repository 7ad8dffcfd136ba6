using System.Diagnostics;
using System.Globalization;
using System.Text;
using Poe.Simulator;
using Poe.Simulator.Videos;
using Poe.WebhookBridge.Bench.Infrastructure;
using Poe.WebhookBridge.Bench.Reporting;

namespace Poe.WebhookBridge.Bench.Scenarios;

/// <summary>
/// Scenario 5: delivery. (a) N ready events (watches on videos already completed, their webhooks held at the receiver
/// until every event exists) → deliveries/s once the receiver opens, against a bare HttpClient POST loop at the same
/// concurrency. (b) Isolation: two bridges, one with 10 % of its consumers hanging, each given its own videos in turn
/// (alternating, twice each in a full run); the medians of the healthy consumers' p99 (terminal → webhook) are compared,
/// so a noisy moment of the machine cannot decide the figure.
/// </summary>
public static class Delivery
{
    private const int Hosts = 10;

    public static async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var started = DateTimeOffset.UtcNow;
        var figures = new List<Figure>();
        var absolute = new Dictionary<string, double>();
        await using var simulator = await InProcessSimulator.StartAsync(o => o.RequestsPerMinute = 1_000_000);
        await using var receiver = await Receiver.StartAsync(Hosts);
        var n = context.Quick ? 1000 : 10_000;
        var m = context.Quick ? 100 : 300;
        var db = await context.CreateBridgeDatabaseAsync("bench_s5");
        var healthyDb = await context.CreateBridgeDatabaseAsync("bench_s5_healthy");
        var mixedDb = await context.CreateBridgeDatabaseAsync("bench_s5_mixed");
        await using (var bridge = await context.StartBridgeAsync("s5", db, simulator.BaseUrl, "poe-key-s5", Settings("00:05:00")))
        {
            await ThroughputAsync(db, receiver, bridge, n, figures, absolute);
        }

        // Started after the bare POSTs, which run with no bridge alive; the two start together, as start-up is much of a quick run.
        var bridges = await Task.WhenAll(
            context.StartBridgeAsync("s5-healthy", healthyDb, simulator.BaseUrl, "poe-key-s5-healthy", Settings("00:00:10")),
            context.StartBridgeAsync("s5-mixed", mixedDb, simulator.BaseUrl, "poe-key-s5-mixed", Settings("00:00:10")));
        await using var healthy = bridges[0];
        await using var mixed = bridges[1];
        await IsolationAsync(healthy, mixed, simulator, receiver, m, context.Quick, figures, absolute);
        var workload = string.Create(CultureInfo.InvariantCulture,
            $"(a) {n} watches on videos already completed, each with its pending video.completed event, written straight into the bridge's tables (the rows a poll that saw the end writes), " +
            $"callbacks spread over {Hosts} consumer hosts (127.0.0.1–{Hosts}); the receiver holds webhooks for 2 s after the events are committed, then deliveries/s = {n} / (last received − opening). Baseline: {n} POSTs of a 1 KB webhook-like body by {Hosts * 16} concurrent tasks (the bridge's per-host cap × hosts) with one HttpClient. " +
            $"(b) two bridges, one with all consumers healthy, one whose consumer 127.0.0.{Hosts} (10 % of watches) never answers (Webhooks:Timeout 10 s); each in turn, alternating, " +
            $"{(context.Quick ? "once" : "twice")} each, is given {m} new videos ending uniformly {(context.Quick ? "2–4" : "5–20")} s after registration, interval 1 s; " +
            $"p99 of terminal → webhook over the other 90 % in each run, the median of each bridge's runs compared.");
        return new ScenarioResult(5, "delivery", workload, (DateTimeOffset.UtcNow - started).TotalSeconds, figures, absolute);
    }

    private static Dictionary<string, string> Settings(string timeout) => new()
    {
        ["Poe__RequestsPerMinute"] = "100000",
        ["Polling__Interval"] = "00:00:01",
        ["Webhooks__Timeout"] = timeout,
    };

    private static async Task ThroughputAsync(string db, Receiver receiver, BridgeProcess bridge, int n, List<Figure> figures, Dictionary<string, double> absolute)
    {
        BenchContext.Say($"scenario 5a: {n} ready events, seeded");
        receiver.CloseGate();
        await Seed.ReadyEventsAsync(db, n, "video_s5_", i => receiver.Callback("s5", 1 + (i % Hosts)), "bench", "poe-key-s5");
        // Long enough for the delivery loop to have found the events and filled every host's cap against the closed gate.
        await Task.Delay(TimeSpan.FromSeconds(2));
        BenchContext.Say("scenario 5a: every event is ready; opening the receiver");
        var opened = DateTimeOffset.UtcNow;
        receiver.OpenGate();
        var until = DateTime.UtcNow.AddMinutes(3);
        while (receiver.All("s5").Count() < n && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
        }

        var got = receiver.All("s5").ToList();
        var last = got.Max(r => r.At);
        var rate = got.Count / (last - opened).TotalSeconds;
        // The baseline runs with no bridge alive.
        await bridge.DisposeAsync();

        var body = Encoding.UTF8.GetBytes("{\"id\":\"evt_0\",\"object\":\"event\",\"type\":\"video.completed\",\"created_at\":1764440000,\"data\":{\"id\":\"VIDEO\",\"object\":\"video\",\"status\":\"completed\",\"progress\":100,\"model\":\"sora-2\",\"seconds\":8,\"size\":\"1280x720\"" + new string(' ', 700) + "},\"watch\":{\"id\":\"watch_0\",\"metadata\":{}}}");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 });
        var clock = Stopwatch.StartNew();
        await Load.ForAllAsync(n, Hosts * 16, async i =>
        {
            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("VIDEO", $"video_s5_{i}", StringComparison.Ordinal)));
            content.Headers.ContentType = new("application/json");
            using var response = await http.PostAsync(receiver.Callback("bare", 1 + (i % Hosts)), content);
            response.EnsureSuccessStatusCode();
        });
        var bareRate = n / clock.Elapsed.TotalSeconds;
        figures.Add(new(5, "deliveries/s, ready events", rate, "bare HttpClient POSTs", bareRate, "/s", true, "≥ 0.3", 0.3, $"{got.Count}/{n} delivered in {(last - opened).TotalSeconds:0.0} s"));
        absolute["ready_events"] = n;
        absolute["delivered"] = got.Count;
        absolute["deliveries_per_s"] = rate;
        absolute["bare_posts_per_s"] = bareRate;
    }

    private static async Task IsolationAsync(BridgeProcess healthy, BridgeProcess mixed, InProcessSimulator simulator, Receiver receiver, int m, bool quick, List<Figure> figures, Dictionary<string, double> absolute)
    {
        using var healthyApi = new BridgeApi(healthy.Url);
        using var mixedApi = new BridgeApi(mixed.Url);
        var rounds = quick ? 1 : 2;
        BenchContext.Say($"scenario 5b: {m} videos a run, 10 % of one bridge's consumers hanging; {rounds} round(s) of each bridge, alternating");
        var random = new Random(5);
        var (healthyRuns, mixedRuns) = (new List<IsolationRun>(), new List<IsolationRun>());
        for (var round = 0; round < rounds; round++)
        {
            healthyRuns.Add(await IsolationRunAsync(healthyApi, simulator, receiver, $"healthy{round}", hanging: false, m, quick, random));
            mixedRuns.Add(await IsolationRunAsync(mixedApi, simulator, receiver, $"mixed{round}", hanging: true, m, quick, random));
        }

        var (hp99, xp99) = (Stats.Median([.. healthyRuns.Select(r => r.P99)]), Stats.Median([.. mixedRuns.Select(r => r.P99)]));
        string Runs(List<IsolationRun> runs) => string.Join(" / ", runs.Select(r => $"{r.P99:0.00}"));
        figures.Add(new(5, "healthy consumers' p99 with 10 % hanging", xp99, "all consumers healthy", hp99, "s", false, "unchanged (≤ 1.25, noise)", 1.25,
            $"median of {rounds} run(s) each, alternating: p99 {Runs(mixedRuns)} vs {Runs(healthyRuns)} s; p50 {Stats.Median([.. mixedRuns.Select(r => r.P50)]):0.00} vs {Stats.Median([.. healthyRuns.Select(r => r.P50)]):0.00} s; " +
            $"{mixedRuns.Sum(r => r.Missing)} healthy webhooks missing (vs {healthyRuns.Sum(r => r.Missing)})"));
        absolute["isolation_videos"] = m;
        absolute["isolation_rounds"] = rounds;
        absolute["healthy_only_p99_s"] = hp99;
        absolute["with_hanging_p99_s"] = xp99;
        absolute["with_hanging_missing"] = mixedRuns.Sum(r => r.Missing);
    }

    /// <summary>One bridge's run: m videos ending soon after registration; delays of the webhooks to healthy consumers.</summary>
    private static async Task<IsolationRun> IsolationRunAsync(
        BridgeApi api, InProcessSimulator simulator, Receiver receiver, string tag, bool hanging, int m, bool quick, Random random)
    {
        var videos = Enumerable.Range(0, m).Select(i => simulator.Videos.Create(new VideoSpec
        {
            Id = $"video_s5b_{tag}_{i}",
            QueuedTime = TimeSpan.FromSeconds(1),
            RunningTime = TimeSpan.FromSeconds(quick ? 1 + (2 * random.NextDouble()) : 4 + (15 * random.NextDouble())),
        })).ToList();
        await Load.ForAllAsync(m, 32, async i =>
        {
            var host = 1 + (i % Hosts);
            await api.RegisterAsync(videos[i].Id, receiver.Callback(tag, host, hang: hanging && host == Hosts));
        });
        var watched = Enumerable.Range(0, m).Where(i => 1 + (i % Hosts) != Hosts).Select(i => videos[i]).ToList();
        var lastEnd = videos.Max(v => v.FinishesAt);
        while (DateTimeOffset.UtcNow < lastEnd + TimeSpan.FromSeconds(quick ? 6 : 15) && watched.Any(v => !receiver.TryGet(tag, v.Id, out _)))
        {
            await Task.Delay(250);
        }

        List<double> delays = [.. watched.Where(v => receiver.TryGet(tag, v.Id, out _)).Select(v => { receiver.TryGet(tag, v.Id, out var r); return Math.Max(0, (r.At - v.FinishesAt).TotalSeconds); })];
        BenchContext.Say($"scenario 5b: {tag}: p99 {Stats.Percentile(delays, 99):0.00} s, {watched.Count - delays.Count} missing");
        return new IsolationRun(Stats.Percentile(delays, 99), Stats.Percentile(delays, 50), watched.Count - delays.Count);
    }

    private sealed record IsolationRun(double P99, double P50, int Missing);
}
