using System.Globalization;
using Poe.Simulator.Requests;
using Poe.Simulator.Videos;
using Poe.WebhookBridge.ReliabilityTests.Support;
using Poe.WebhookBridge.Tests.Support;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.ReliabilityTests.ScaleOut;

/// <summary>SPEC §3 and §7: instances on one database share the work with no coordination beyond it.</summary>
[Collection(ProcessTests.Name)]
public sealed class ScaleOutTests(ITestOutputHelper output)
{
    private const int Instances = 3;
    private static readonly int Watches = Soak.Scale(500);
    // Under the demand of 500 videos, so that polling is held by the budget for more than a minute.
    private const int Budget = 600;

    [Fact]
    public async Task Three_instances_deliver_each_event_once_poll_no_video_concurrently_and_hold_the_shared_budget()
    {
        var random = new Random(Environment.TickCount);
        await using var cluster = await BridgeCluster.StartAsync("scaleout", Instances, configure: s => s["Poe:RequestsPerMinute"] = Budget.ToString(CultureInfo.InvariantCulture));
        var outcomes = new Dictionary<string, VideoOutcome>();
        for (var i = 0; i < Watches; i++)
        {
            var id = $"video_s{i:000}";
            outcomes[id] = random.Next(5) == 0 ? VideoOutcome.Failed : VideoOutcome.Completed;
            cluster.Poe.Create(id, TimeSpan.FromMilliseconds(random.Next(1000, 5000)), TimeSpan.FromMilliseconds(random.Next(0, 2000)), outcomes[id]);
        }

        // Registrations spread over the instances, as a load balancer would.
        var apis = Enumerable.Range(0, Instances).Select(cluster.Api).ToList();
        await Parallel.ForEachAsync(outcomes.Keys.Select((video, i) => (video, i)), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (item, _) =>
        {
            var answer = await Registrations.TryRegisterAsync(apis[item.i % Instances], item.video, cluster.Receiver.Url);
            Assert.Equal(System.Net.HttpStatusCode.Created, answer?.Status);
        });

        await Eventually.TrueAsync(
            async () => (await cluster.QueryAsync(
                "SELECT (SELECT count(*) FROM bridge.watches WHERE status = 'active') + (SELECT count(*) FROM bridge.webhook_events WHERE status <> 'delivered')",
                r => r.GetInt64(0)))[0] == 0,
            TimeSpan.FromSeconds(Soak.Scale(150)),
            cluster.DescribeAsync);

        var shares = new List<(double Polls, double Attempts)>();
        foreach (var api in apis)
        {
            var metrics = await api.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            shares.Add((Sum(metrics, "bridge_poe_requests_total"), Sum(metrics, "bridge_webhook_attempts_total")));
            api.Dispose();
        }

        var polls = cluster.Poe.Requests.Since();
        var deliveries = Receipt.From(cluster.Receiver.Received);
        var events = await cluster.QueryAsync("SELECT id FROM bridge.webhook_events", r => r.GetString(0));
        var seen = deliveries.Select(d => d.WebhookId).ToHashSet();
        var lost = events.Count(e => !seen.Contains(e));
        var duplicates = deliveries.GroupBy(d => d.WebhookId).Count(g => g.Count() > 1);
        // The shortest gap between two polls of one video (a poll is logged when the simulator answers it).
        var closest = RequestWindows.ClosestRepeat(polls).GapMs;
        var busiestMinute = RequestWindows.Busiest(polls.Select(p => p.AtMs), TimeSpan.FromMinutes(1));
        var busiestTenSeconds = RequestWindows.Busiest(polls.Select(p => p.AtMs), TimeSpan.FromSeconds(10));
        var span = polls.Count == 0 ? 0 : (polls.Max(p => p.AtMs) - polls.Min(p => p.AtMs)) / 1000.0;
        var totalPolls = shares.Sum(s => s.Polls);
        var totalAttempts = shares.Sum(s => s.Attempts);
        Summary.Report(output,
            $"scale-out: instances={Instances} watches={Watches} events={events.Count} deliveries={deliveries.Count} duplicates={duplicates} lost={lost} " +
            $"polls={polls.Count} over {span:0} s, busiest-60s={busiestMinute}/{Budget} busiest-10s={busiestTenSeconds} closest-polls-of-one-video={closest} ms " +
            $"shares polls={string.Join("/", shares.Select(s => Percent(s.Polls, totalPolls)))} webhooks={string.Join("/", shares.Select(s => Percent(s.Attempts, totalAttempts)))}");

        Assert.Equal(0, lost);
        Assert.Equal(0, duplicates);
        Assert.True(busiestMinute <= Budget, $"{busiestMinute} polls in one 60 s window, over the budget of {Budget}.");
        // Concurrent polls would land within milliseconds; the interval is 1 s, paced slots may shift a poll a little.
        Assert.True(closest >= 500, $"Two polls of one video {closest} ms apart: polled concurrently (interval 1 s).");
        Assert.DoesNotContain(polls, p => p.Status == 429);
        Assert.All(shares, s => Assert.True(s.Polls + s.Attempts > 0, "An instance did no work at all."));
    }

    private static double Sum(string metrics, string name) =>
        metrics.Split('\n')
            .Where(l => l.StartsWith(name, StringComparison.Ordinal) && (l.Length == name.Length || l[name.Length] is '{' or ' '))
            // "name{labels} value [timestamp]"
            .Sum(l => double.Parse(l[(Math.Max(l.IndexOf('}', StringComparison.Ordinal), name.Length - 1) + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));

    private static string Percent(double part, double total) =>
        total == 0 ? "0%" : (part / total).ToString("P0", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal);
}
