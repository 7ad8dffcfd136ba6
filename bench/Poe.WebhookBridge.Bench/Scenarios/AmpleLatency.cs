using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Poe.Simulator;
using Poe.Simulator.Videos;
using Poe.WebhookBridge.Bench.Infrastructure;
using Poe.WebhookBridge.Bench.Reporting;

namespace Poe.WebhookBridge.Bench.Scenarios;

/// <summary>
/// Scenario 3: notification latency when the budget is ample. Videos end at random times; the bridge polls each every
/// second and delivers a webhook. Baseline, on the same videos at the same time: a bare HttpClient poller that polls each
/// video every second (no database, no delivery), whose delay is the floor a 1 s interval allows.
/// </summary>
public static class AmpleLatency
{
    public static async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var quick = context.Quick;
        var watches = quick ? 100 : 500;
        var (endMin, endMax) = quick ? (3.0, 6.0) : (10.0, 30.0);
        var interval = TimeSpan.FromSeconds(1);
        var started = DateTimeOffset.UtcNow;
        await using var simulator = await InProcessSimulator.StartAsync(o => o.RequestsPerMinute = 1_000_000);
        await using var receiver = await Receiver.StartAsync();
        var db = await context.CreateBridgeDatabaseAsync("bench_s3");
        await using var bridge = await context.StartBridgeAsync("s3", db, simulator.BaseUrl, "poe-key-s3", new Dictionary<string, string>
        {
            ["Poe__RequestsPerMinute"] = "100000",
            ["Polling__Interval"] = "00:00:01",
            ["Polling__MaxInterval"] = "00:01:00",
            ["Polling__Strategy"] = "adaptive",
        });
        using var api = new BridgeApi(bridge.Url);
        BenchContext.Say($"scenario 3: {watches} watches, interval 1 s, videos ending {endMin:0}–{endMax:0} s after registration");

        var random = new Random(3);
        var videos = Enumerable.Range(0, watches).Select(i => simulator.Videos.Create(new VideoSpec
        {
            Id = $"video_s3_{i}",
            QueuedTime = TimeSpan.FromSeconds(1),
            RunningTime = TimeSpan.FromSeconds(endMin - 1 + ((endMax - endMin) * random.NextDouble())),
            Seed = i,
        })).ToList();
        using (var gate = new SemaphoreSlim(32))
        {
            await Task.WhenAll(videos.Select(async v =>
            {
                await gate.WaitAsync();
                try
                {
                    await api.RegisterAsync(v.Id, receiver.Callback("s3"));
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = simulator.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "poe-key-s3-baseline");
        var bare = new ConcurrentDictionary<string, DateTimeOffset>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(endMax + 15));
        var baseline = Task.WhenAll(videos.Select(v => BarePollAsync(http, v.Id, interval, bare, random.NextDouble(), stop.Token)));

        var last = videos.Max(v => v.FinishesAt);
        while (DateTimeOffset.UtcNow < last + TimeSpan.FromSeconds(10) && receiver.All("s3").Count() < watches)
        {
            await Task.Delay(250);
        }

        await stop.CancelAsync();
        await baseline;
        var delays = videos.Select(v => receiver.TryGet("s3", v.Id, out var r) ? (r.At - v.FinishesAt).TotalSeconds : double.NaN).ToList();
        var missed = delays.Count(double.IsNaN);
        var got = delays.Where(d => !double.IsNaN(d)).Select(d => Math.Max(0, d)).ToList();
        var floor = videos.Where(v => bare.ContainsKey(v.Id)).Select(v => Math.Max(0, (bare[v.Id] - v.FinishesAt).TotalSeconds)).ToList();

        var bound = interval.TotalSeconds + 0.3;
        const string Bare = "bare 1 s poller";
        var (p50, p95, p99) = (Stats.Percentile(got, 50), Stats.Percentile(got, 95), Stats.Percentile(got, 99));
        var figures = new List<Figure>
        {
            new(3, "terminal → webhook p50", p50, Bare, Stats.Percentile(floor, 50), "s", false, "–", null, $"{got.Count} webhooks, {missed} missing"),
            new(3, "terminal → webhook p95", p95, Bare, Stats.Percentile(floor, 95), "s", false, "–", null, ""),
            new(3, "terminal → webhook p99", p99, Bare, Stats.Percentile(floor, 99), "s", false, $"p99 ≤ {bound:0.0} s (interval + 0.3 s)", null,
                $"max {got.DefaultIfEmpty(double.NaN).Max():0.00} s", MetOverride: missed == 0 && p99 <= bound),
        };
        var absolute = new Dictionary<string, double>
        {
            ["watches"] = watches, ["missing"] = missed, ["p50_s"] = p50, ["p95_s"] = p95, ["p99_s"] = p99,
            ["bare_p50_s"] = Stats.Percentile(floor, 50), ["bare_p99_s"] = Stats.Percentile(floor, 99),
        };
        var workload = string.Create(CultureInfo.InvariantCulture,
            $"{watches} watches registered at once (32 concurrent), one video each, queued 1 s then ending uniformly {endMin:0}–{endMax:0} s after creation; " +
            $"Polling:Interval 1 s, ample budget (100k rpm); delay = webhook received − terminal time at the simulator. " +
            $"The bare poller polls the same videos every 1 s from a random phase, in the same run.");
        return new ScenarioResult(3, "notification latency, ample budget", workload, (DateTimeOffset.UtcNow - started).TotalSeconds, figures, absolute);
    }

    private static async Task BarePollAsync(HttpClient http, string videoId, TimeSpan interval, ConcurrentDictionary<string, DateTimeOffset> detected, double phase, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(interval * phase, cancellationToken);
            using var timer = new PeriodicTimer(interval);
            do
            {
                using var response = await http.GetAsync(new Uri("/v1/videos/" + videoId, UriKind.Relative), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
                    if (body.RootElement.GetProperty("status").GetString() is "completed" or "failed")
                    {
                        detected.TryAdd(videoId, DateTimeOffset.UtcNow);
                        return;
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
        }
    }
}
