using System.Collections.Concurrent;
using System.Net;
using Poe.Simulator.Videos;
using Poe.WebhookBridge.ReliabilityTests.Support;
using Poe.WebhookBridge.Tests.Support;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.ReliabilityTests.Crashes;

/// <summary>SPEC §2 (durable before the 201) and §4 (a crash never loses a webhook; at least once) under SIGKILL.</summary>
[Collection(ProcessTests.Name)]
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int WatchesPerRound = 100;

    private static readonly int Rounds = Soak.Scale(3);

    [Fact]
    public async Task Bridges_killed_during_registration_polling_and_delivery_lose_no_watch_and_no_webhook()
    {
        var random = new Random(Environment.TickCount);
        await using var cluster = await BridgeCluster.StartAsync("crash", size: 1);
        var confirmed = new ConcurrentDictionary<string, string>(); // video id → watch id, for every 201/200 received
        var outcomes = new Dictionary<string, VideoOutcome>();

        for (var round = 1; round <= Rounds; round++)
        {
            var videos = new List<string>();
            for (var i = 0; i < WatchesPerRound; i++)
            {
                var id = $"video_r{round}_{i:000}";
                var outcome = random.Next(5) == 0 ? VideoOutcome.Failed : VideoOutcome.Completed;
                cluster.Poe.Create(id, TimeSpan.FromMilliseconds(random.Next(500, 4000)), TimeSpan.FromMilliseconds(random.Next(0, 1000)), outcome);
                outcomes[id] = outcome;
                videos.Add(id);
            }

            // Crash 1: in the middle of a burst of registrations.
            var burst = RegisterAsync(cluster, videos, confirmed);
            await Task.Delay(random.Next(100, 1200));
            await cluster.KillAsync(0);
            await burst;
            await cluster.StartInstanceAsync(0);
            // The consumer repeats what got no answer, with the same idempotency keys.
            await RegisterUntilAnsweredAsync(cluster, videos, confirmed);

            // Crash 2: while videos are polled, end and their webhooks go out.
            await Task.Delay(random.Next(300, 3000));
            await cluster.RestartAsync(0);
        }

        await WaitUntilSettledAsync(cluster, outcomes.Count, TimeSpan.FromSeconds(Soak.Scale(90)));

        var watches = await cluster.QueryAsync("SELECT id, video_id, status FROM bridge.watches", r => (Id: r.GetString(0), Video: r.GetString(1), Status: r.GetString(2)));
        var events = await cluster.QueryAsync("SELECT id, watch_id, type, status FROM bridge.webhook_events", r => (Id: r.GetString(0), Watch: r.GetString(1), Type: r.GetString(2), Status: r.GetString(3)));
        var deliveries = Receipt.From(cluster.Receiver.Received);
        var seen = deliveries.Select(d => d.WebhookId).ToHashSet();

        // Every registration that was answered with success exists, once per video (idempotency survived the crash).
        var missing = confirmed.Where(c => !watches.Any(w => w.Id == c.Value)).Select(c => c.Key).ToList();
        Assert.True(missing.Count == 0, $"Confirmed registrations missing after crashes: {string.Join(", ", missing)}");
        var doubled = watches.GroupBy(w => w.Video).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(doubled.Count == 0, $"Videos with two watches after a repeated registration: {string.Join(", ", doubled)}");

        // Every watch ended as its video did, and its terminal webhook reached the consumer.
        var lost = new List<string>();
        foreach (var watch in watches)
        {
            var expected = outcomes[watch.Video] == VideoOutcome.Completed ? ("completed", "video.completed") : ("failed", "video.failed");
            Assert.Equal(expected.Item1, watch.Status);
            if (!deliveries.Any(d => d.WatchId == watch.Id && d.Type == expected.Item2))
            {
                lost.Add(watch.Id);
            }
        }

        lost.AddRange(events.Where(e => !seen.Contains(e.Id)).Select(e => e.Id));
        var (crashWindow, unexplained) = Receipt.Duplicates(deliveries, cluster.Kills, TimeSpan.FromSeconds(5));
        var fastestBoot = cluster.Boots.Min();
        Summary.Report(output,
            $"crash: rounds={Rounds} crashes={cluster.Kills.Count} watches={watches.Count} (confirmed {confirmed.Count}) events={events.Count} " +
            $"deliveries={deliveries.Count} duplicates={crashWindow + unexplained.Count} (crash between 2xx and write-back: {crashWindow}, unexplained: {unexplained.Count}) lost={lost.Count} " +
            $"fastest boot={fastestBoot.TotalSeconds:F1} s");
        Assert.Empty(lost);
        Assert.Empty(unexplained);
        // What makes a receipt just after a kill the dying instance's: its replacement could not have sent anything yet.
        Assert.True(fastestBoot > Receipt.SendLag, $"an instance booted in {fastestBoot.TotalMilliseconds:F0} ms");
        Assert.All(events, e => Assert.Equal("delivered", e.Status));
    }

    private static async Task RegisterAsync(BridgeCluster cluster, IReadOnlyList<string> videos, ConcurrentDictionary<string, string> confirmed)
    {
        using var api = cluster.Api();
        await Parallel.ForEachAsync(videos, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (video, _) =>
        {
            if (await Registrations.TryRegisterAsync(api, video, cluster.Receiver.Url) is { WatchId: { } id })
            {
                confirmed[video] = id;
            }
        });
    }

    private static async Task RegisterUntilAnsweredAsync(BridgeCluster cluster, IReadOnlyList<string> videos, ConcurrentDictionary<string, string> confirmed)
    {
        using var api = cluster.Api();
        foreach (var video in videos.Where(v => !confirmed.ContainsKey(v)))
        {
            var answer = await Registrations.TryRegisterAsync(api, video, cluster.Receiver.Url);
            Assert.True(answer is { Status: HttpStatusCode.Created or HttpStatusCode.OK }, $"Repeating the registration of {video} after a crash: {answer?.Status}");
            var previous = confirmed.GetOrAdd(video, answer!.Value.WatchId!);
            Assert.Equal(previous, answer!.Value.WatchId);
        }
    }

    private static Task WaitUntilSettledAsync(BridgeCluster cluster, int watches, TimeSpan timeout) =>
        Eventually.TrueAsync(
            async () =>
            {
                var open = await cluster.QueryAsync(
                    "SELECT (SELECT count(*) FROM bridge.watches WHERE status = 'active') + (SELECT count(*) FROM bridge.webhook_events WHERE status <> 'delivered')",
                    r => r.GetInt64(0));
                var all = await cluster.QueryAsync("SELECT count(*) FROM bridge.watches", r => r.GetInt64(0));
                return open[0] == 0 && all[0] >= watches;
            },
            timeout,
            () => cluster.DescribeAsync());
}
