using System.Globalization;
using Poe.Simulator;
using Poe.Simulator.Faults;
using Poe.WebhookBridge.Tests.Support;
using Poe.WebhookBridge.Watches;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>SPEC §3: 5xx, time-outs, connection errors, malformed bodies and unknown statuses are retried with back-off; never surfaced.</summary>
public sealed class PoeFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_Poe_answering_500_then_garbage_then_429_with_Retry_After_then_completed_ends_the_watch_completed_with_no_failure_event()
    {
        await using var poe = await InProcessSimulator.StartAsync();
        await using var bridge = await PollingBridge.StartAsync(poe.BaseUrl);
        poe.Create("video_faulty", running: TimeSpan.Zero, faults: [Fault.HttpStatus(500), Fault.Garbage(), Fault.RateLimit(retryAfter: "3")]);

        var id = await PollingBridge.WatchAsync(bridge.Shop, "video_faulty", PollingBridge.AllEvents);
        var watch = await bridge.EndedAsync(id, TimeSpan.FromSeconds(20));

        var requests = poe.RequestsFor("video_faulty");
        output.WriteLine(string.Join(", ", requests.Select(r => $"{r.Status} at +{r.AtMs - requests[0].AtMs} ms")));
        Assert.Equal([500, 200, 429, 200], requests.Select(r => r.Status));
        var rateLimitedAt = requests[2].AtMs;
        Assert.DoesNotContain(requests, r => r.AtMs > rateLimitedAt && r.AtMs < rateLimitedAt + 3000);
        Assert.Equal(WatchStatus.Completed, watch.Status);
        Assert.Null(watch.FailureReason);
        Assert.Equal(["video.completed"], (await bridge.EventsOfAsync(id)).Select(e => e.Type));
    }

    [Fact]
    public async Task Each_transient_failure_keeps_the_watch_active_backs_off_exponentially_and_polling_recovers()
    {
        await using var poe = await FakePoe.StartAsync();
        await using var bridge = await PollingBridge.StartAsync(poe.BaseUrl, ("Poe:Timeout", "00:00:00.5"));
        var failures = new Dictionary<string, PoeAnswer>
        {
            ["video_500"] = PoeAnswer.Error(500, "server_error"),
            ["video_503"] = PoeAnswer.Error(503, "overloaded"),
            ["video_timeout"] = PoeAnswer.Hanging(),
            ["video_reset"] = PoeAnswer.ConnectionReset(),
            ["video_truncated"] = PoeAnswer.Raw("""{"id":"video_truncated","object":"video","status":"in_pro"""),
            ["video_garbage"] = PoeAnswer.Raw("<html><body><h1>502 Bad Gateway</h1></body></html>"),
            ["video_unknown_status"] = PoeAnswer.Video("video_unknown_status", "exploding", 50),
        };
        foreach (var (video, failure) in failures)
        {
            poe.Script(video, failure, failure, failure,
                PoeAnswer.Video(video, "in_progress", 50), PoeAnswer.Video(video, "in_progress", 60), PoeAnswer.Video(video, "completed", 100));
        }

        var watches = new Dictionary<string, string>();
        foreach (var video in failures.Keys)
        {
            watches[video] = await PollingBridge.WatchAsync(bridge.Shop, video);
        }

        // Three failures back off 1 s, 2 s, 4 s (interval 1 s, doubling); the first good answer restores the 1 s cadence.
        double[] nominal = [1, 2, 4, 1, 1];
        foreach (var (video, watchId) in watches)
        {
            var watch = await bridge.EndedAsync(watchId, TimeSpan.FromSeconds(30));
            var times = poe.RequestsFor(video).Select(r => r.At).ToList();
            var gaps = times.Zip(times.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
            output.WriteLine($"{video}: gaps {string.Join(" ", gaps.Select(g => g.ToString("F2", CultureInfo.InvariantCulture)))} s");

            Assert.Equal(WatchStatus.Completed, watch.Status);
            Assert.Equal(["video.completed"], (await bridge.EventsOfAsync(watchId)).Select(e => e.Type));
            Assert.Equal(nominal.Length, gaps.Count);
            for (var i = 0; i < nominal.Length; i++)
            {
                Assert.InRange(gaps[i], nominal[i] - 0.15, nominal[i] + 1);
            }
        }
    }
}
