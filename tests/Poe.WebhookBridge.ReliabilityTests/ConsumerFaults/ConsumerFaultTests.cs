using System.Globalization;
using System.Net;
using Poe.Simulator.Videos;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.ReliabilityTests.Support;
using Poe.WebhookBridge.Tests.Support;
using Poe.WebhookBridge.Tests.Delivery;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.ReliabilityTests.ConsumerFaults;

/// <summary>
/// SPEC §4: each way a consumer can fail ends its events as specified (retried on the schedule then dead; 410 cancels
/// the watch; redirects not followed), and none of them delays a healthy consumer. Each consumer is its own loopback
/// address, so the bridge sees distinct hosts, as it would distinct consumers in production.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class ConsumerFaultTests(ITestOutputHelper output)
{
    private static readonly string[] WithProgress = ["video.progress", "video.completed", "video.failed", "watch.failed"];

    private readonly Random _random = new(Environment.TickCount);

    [Fact]
    public async Task Faulty_consumers_end_as_SPEC_4_says_and_do_not_delay_a_healthy_one()
    {
        // More than a host's share of connections, so the hanging consumers keep their cap full and a backlog waits.
        var watchesPerConsumer = Soak.Scale(DeliveryCapacity.MaxPerHost + 4);
        var healthySamples = Soak.Scale(40);
        await using var cluster = await BridgeCluster.StartAsync("consumerfaults", size: 1);
        var timeout = TimeSpan.Parse(cluster.Settings["Webhooks:Timeout"]!, CultureInfo.InvariantCulture);
        var schedule = cluster.Settings.Where(s => s.Key.StartsWith("Webhooks:RetrySchedule:", StringComparison.Ordinal))
            .OrderBy(s => int.Parse(s.Key.Split(':')[2], CultureInfo.InvariantCulture))
            .Select(s => TimeSpan.Parse(s.Value!, CultureInfo.InvariantCulture)).ToList();
        using var api = cluster.Api();

        // The first deliveries of a fresh process pay for JIT and connection set-up: not part of either phase.
        await DeliverToHealthyAsync(cluster, api, "warmup", 5);
        var alone = await DeliverToHealthyAsync(cluster, api, "alone", healthySamples);

        await using var redirectTarget = await WebhookReceiver.StartAsync(IPAddress.Parse("127.0.0.9"));
        await using var hanging = await WebhookReceiver.StartAsync(IPAddress.Parse("127.0.0.2"), WebhookReceiver.Hang);
        await using var resetting = new ResettingConsumer(IPAddress.Parse("127.0.0.3"));
        await using var redirecting = await WebhookReceiver.StartAsync(IPAddress.Parse("127.0.0.4"), WebhookReceiver.Status(307, ("Location", redirectTarget.Url)));
        await using var rejecting = await WebhookReceiver.StartAsync(IPAddress.Parse("127.0.0.5"), WebhookReceiver.Status(400));
        await using var failing = await WebhookReceiver.StartAsync(IPAddress.Parse("127.0.0.6"), WebhookReceiver.Status(500));
        await using var gone = await WebhookReceiver.StartAsync(IPAddress.Parse("127.0.0.7"), WebhookReceiver.Status(410));
        using var unaccepting = await UnacceptingConsumer.StartAsync(IPAddress.Parse("127.0.0.8"));
        FaultyConsumer[] consumers =
        [
            new("time-out", hanging.Url, null, "no response within"),
            new("reset", resetting.Url, null, "reset"),
            new("redirect", redirecting.Url, 307, "redirects are not followed"),
            new("4xx", rejecting.Url, 400, "HTTP 400"),
            new("5xx", failing.Url, 500, "HTTP 500"),
            new("410", gone.Url, 410, "410 Gone"),
            new("never-accept", unaccepting.Url, null, "no response within"),
        ];

        var watches = new List<(FaultyConsumer Consumer, string WatchId)>();
        foreach (var consumer in consumers)
        {
            for (var i = 0; i < watchesPerConsumer; i++)
            {
                var video = $"video_{consumer.Name}_{i:000}";
                // The 410 consumer's videos run long and it opts in to progress: its first webhook must end the watch while Poe still runs it.
                var running = consumer.IsGone ? TimeSpan.FromMinutes(5) : TimeSpan.FromMilliseconds(_random.Next(200, 1500));
                cluster.Poe.Create(video, running, TimeSpan.Zero, VideoOutcome.Completed);
                var answer = await Registrations.TryRegisterAsync(api, video, consumer.Url, consumer.IsGone ? WithProgress : null);
                Assert.Equal(HttpStatusCode.Created, answer?.Status);
                watches.Add((consumer, answer!.Value.WatchId!));
            }
        }

        // Measure only once the hanging consumer holds every connection it may have.
        await Eventually.TrueAsync(async () => hanging.MaxConcurrentRequests >= DeliveryCapacity.MaxPerHost, TimeSpan.FromSeconds(60), cluster.DescribeAsync);
        var beside = await DeliverToHealthyAsync(cluster, api, "beside", healthySamples);

        await Eventually.TrueAsync(
            async () => (await cluster.QueryAsync(
                "SELECT (SELECT count(*) FROM bridge.watches WHERE status = 'active') + (SELECT count(*) FROM bridge.webhook_events WHERE status = 'pending')",
                r => r.GetInt64(0)))[0] == 0,
            TimeSpan.FromSeconds(Soak.Scale(180)),
            cluster.DescribeAsync);

        var wrong = new List<string>();
        foreach (var (consumer, watchId) in watches)
        {
            wrong.AddRange(await consumer.DeparturesAsync(api, watchId, schedule.Count + 1));
        }

        var gaps = await RetryGapsAsync(cluster, schedule);
        var pollsAfterCancel = await PollsAfterCancelAsync(cluster, TimeSpan.Parse(cluster.Settings["Poe:Timeout"]!, CultureInfo.InvariantCulture));
        var deliveries = Receipt.From(cluster.Receiver.Received);
        var duplicates = deliveries.GroupBy(d => d.WebhookId).Count(g => g.Count() > 1);
        var attempts = await cluster.QueryAsync("SELECT count(*) FROM bridge.delivery_attempts a JOIN bridge.webhook_events e ON e.id = a.event_id WHERE e.callback_host <> '127.0.0.1'", r => r.GetInt64(0));
        Summary.Report(output,
            $"consumer faults: consumers={consumers.Length} ({string.Join(", ", consumers.Select(c => c.Name))}) watches={watches.Count} attempts={attempts[0]} " +
            $"wrong end state={wrong.Count} redirects followed={redirectTarget.Received.Count} resets={resetting.Resets} polls after a 410={pollsAfterCancel} " +
            $"retry gap/schedule={gaps.Min:0.00}-{gaps.Max:0.00}x; healthy deliveries={deliveries.Count} duplicates={duplicates} " +
            $"alone p50={Percentile(alone, 50):0} p99={Percentile(alone, 99):0} ms, beside faulty p50={Percentile(beside, 50):0} p99={Percentile(beside, 99):0} ms " +
            $"(p50 x{Percentile(beside, 50) / Percentile(alone, 50):0.00}, p99 x{Percentile(beside, 99) / Percentile(alone, 99):0.00}; Webhooks:Timeout {timeout.TotalMilliseconds:0} ms)");

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
        Assert.Empty(redirectTarget.Received);
        Assert.Equal(0, pollsAfterCancel);
        Assert.True(gaps.Min >= 0.8, $"A retry came {gaps.Min:0.00}x its scheduled delay after the failed attempt (jitter is ±20 %).");
        Assert.Equal(5 + (2 * healthySamples), deliveries.Count);
        Assert.Equal(0, duplicates);
        // A healthy delivery that waited on a faulty consumer would take at least Webhooks:Timeout.
        Assert.True(Percentile(beside, 99) < timeout.TotalMilliseconds, $"Healthy p99 {Percentile(beside, 99):0} ms beside faulty consumers, Webhooks:Timeout {timeout}.");
    }

    /// <summary>Registers watches to the healthy consumer whose videos end over a few seconds; returns each webhook's stored → received ms.</summary>
    private async Task<List<double>> DeliverToHealthyAsync(BridgeCluster cluster, HttpClient api, string phase, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var video = $"video_healthy_{phase}_{i:000}";
            cluster.Poe.Create(video, TimeSpan.FromMilliseconds(_random.Next(500, 8000)), TimeSpan.Zero, VideoOutcome.Completed);
            Assert.Equal(HttpStatusCode.Created, (await Registrations.TryRegisterAsync(api, video, cluster.Receiver.Url))?.Status);
        }

        var stored = new Dictionary<string, DateTimeOffset>();
        await Eventually.TrueAsync(
            async () =>
            {
                stored = (await cluster.QueryAsync(
                    $"SELECT e.id, e.created_at FROM bridge.webhook_events e JOIN bridge.watches w ON w.id = e.watch_id WHERE w.video_id LIKE 'video\\_healthy\\_{phase}\\_%'",
                    r => (Id: r.GetString(0), At: r.GetFieldValue<DateTimeOffset>(1)))).ToDictionary(e => e.Id, e => e.At);
                var received = Receipt.From(cluster.Receiver.Received).Select(r => r.WebhookId).ToHashSet();
                return stored.Count == count && stored.Keys.All(received.Contains);
            },
            TimeSpan.FromSeconds(Soak.Scale(60)),
            cluster.DescribeAsync);
        return [.. Receipt.From(cluster.Receiver.Received).Where(r => stored.ContainsKey(r.WebhookId))
            .GroupBy(r => r.WebhookId).Select(g => (g.Min(r => r.At) - stored[g.Key]).TotalMilliseconds)];
    }

    /// <summary>
    /// Each retry's delay after the end of the failed attempt, as a multiple of its schedule entry (from the database:
    /// the API gives whole seconds).
    /// </summary>
    private static async Task<(double Min, double Max)> RetryGapsAsync(BridgeCluster cluster, List<TimeSpan> schedule)
    {
        var attempts = await cluster.QueryAsync(
            "SELECT event_id, at, duration_ms FROM bridge.delivery_attempts ORDER BY event_id, at",
            r => (Event: r.GetString(0), At: r.GetFieldValue<DateTimeOffset>(1), Duration: TimeSpan.FromMilliseconds(r.GetInt32(2))));
        var ratios = attempts.GroupBy(a => a.Event)
            .SelectMany(g => g.Zip(g.Skip(1)).Select((pair, i) => (pair.Second.At - (pair.First.At + pair.First.Duration)) / schedule[i]))
            .DefaultIfEmpty(1).ToList();
        return (ratios.Min(), ratios.Max());
    }

    /// <summary>Polls of a video that Poe received after its watch was cancelled by a 410 (a poll already in flight aside).</summary>
    private static async Task<int> PollsAfterCancelAsync(BridgeCluster cluster, TimeSpan pollTimeout)
    {
        var cancelled = (await cluster.QueryAsync(
            "SELECT video_id, ended_at FROM bridge.watches WHERE status = 'cancelled'",
            r => (Video: r.GetString(0), Ended: r.GetFieldValue<DateTimeOffset>(1)))).ToDictionary(w => w.Video, w => w.Ended);
        return cluster.Poe.Requests.Since().Count(p => cancelled.TryGetValue(p.VideoId, out var ended) && p.AtMs > (ended + pollTimeout).ToUnixTimeMilliseconds());
    }

    private static double Percentile(List<double> values, int percent)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
