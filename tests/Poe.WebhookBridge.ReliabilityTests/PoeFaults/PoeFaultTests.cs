using System.Globalization;
using Poe.Simulator.Faults;
using Poe.Simulator.Requests;
using Poe.Simulator.Videos;
using Poe.WebhookBridge.Budget;
using Poe.WebhookBridge.Polling;
using Poe.WebhookBridge.ReliabilityTests.Support;
using Poe.WebhookBridge.Tests.Support;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.ReliabilityTests.PoeFaults;

/// <summary>
/// SPEC §3: Poe's failures are retried with back-off, never turned into a webhook; its 429s pause the key for as long
/// as they say (or, saying nothing, for 1 s doubling), and no longer; and the budget holds.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class PoeFaultTests(ITestOutputHelper output)
{
    private const int Budget = 1200;
    private static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Mixed_Poe_faults_leave_every_watch_in_the_state_its_video_ends_in_within_the_budget()
    {
        var watchCount = Soak.Scale(200);
        var random = new Random(Environment.TickCount);
        // Poe:Timeout is 2 s in the cluster: a 3 s delay, or a body trickled over 3 s, is a time-out. A 429 holds the
        // whole key: for its Retry-After, else its x-ratelimit-reset-requests (1 s from the simulator), else 1 s doubling.
        Fault[] kinds =
        [
            Fault.HttpStatus(500), Fault.HttpStatus(502), Fault.HttpStatus(503), Fault.Delay(TimeSpan.FromSeconds(3)), Fault.Reset(),
            Fault.Truncated(), Fault.Garbage(), Fault.UnknownStatus(), Fault.SlowDrip(TimeSpan.FromSeconds(3)), Fault.RateLimit("2"), Fault.RateLimit(), Fault.BareRateLimit(),
        ];
        await using var cluster = await BridgeCluster.StartAsync("poefaults", size: 1, configure: s =>
        {
            s["Poe:RequestsPerMinute"] = Budget.ToString(CultureInfo.InvariantCulture);
            s["Polling:MaxInterval"] = MaxInterval.ToString("c", CultureInfo.InvariantCulture);
        });
        using var api = cluster.Api();
        var outcomes = new Dictionary<string, VideoOutcome>();
        var scripts = new Dictionary<string, Fault[]>();
        var injected = 0;
        for (var i = 0; i < watchCount; i++)
        {
            var id = $"video_f{i:000}";
            outcomes[id] = random.Next(4) == 0 ? VideoOutcome.Failed : VideoOutcome.Completed;
            var faults = scripts[id] = Enumerable.Range(0, random.Next(1, 4)).Select(_ => kinds[random.Next(kinds.Length)]).ToArray();
            injected += faults.Length;
            cluster.Poe.Create(id, TimeSpan.FromMilliseconds(random.Next(1000, 4000)), TimeSpan.Zero, outcomes[id], faults);
            Assert.Equal(System.Net.HttpStatusCode.Created, (await Registrations.TryRegisterAsync(api, id, cluster.Receiver.Url))?.Status);
        }

        var registered = DateTimeOffset.UtcNow;
        await Settled.WaitAsync(cluster, TimeSpan.FromSeconds(Soak.Scale(120)));

        var settled = DateTimeOffset.UtcNow - registered;
        var watches = await cluster.QueryAsync("SELECT id, video_id, status FROM bridge.watches", r => (Id: r.GetString(0), Video: r.GetString(1), Status: r.GetString(2)));
        var deliveries = Receipt.From(cluster.Receiver.Received);
        var wrong = watches.Where(w => w.Status != (outcomes[w.Video] == VideoOutcome.Completed ? "completed" : "failed")).ToList();
        var lost = watches.Count(w => !deliveries.Any(d => d.WatchId == w.Id && d.Type == (outcomes[w.Video] == VideoOutcome.Completed ? "video.completed" : "video.failed")));
        var stray = deliveries.Count(d => d.Type is not ("video.completed" or "video.failed"));
        var polls = cluster.Poe.Requests.Since();
        var busiest = RequestWindows.Busiest(polls.Select(p => p.AtMs), TimeSpan.FromMinutes(1));
        var bound = Bound(registered.ToUnixTimeMilliseconds(), polls, scripts);

        Summary.Report(output,
            $"poe faults: watches={watchCount} faults injected={injected} polls={polls.Count} (429: {polls.Count(p => p.Status == 429)}) " +
            $"busiest-60s={busiest}/{Budget} all ended {settled.TotalSeconds:0} s after the last registration (SPEC §3 bound {bound.TotalSeconds:0} s), wrong end state={wrong.Count} " +
            $"webhooks={deliveries.Count} lost={lost} webhooks caused by a fault={stray}");
        Assert.True(settled <= bound, $"Every watch ended only {settled} after the last registration; SPEC §3 allows {bound}.");
        Assert.Empty(wrong);
        Assert.Equal(0, lost);
        Assert.Equal(0, stray);
        Assert.True(busiest <= Budget, $"{busiest} polls in a 60 s window over the budget of {Budget}.");
    }

    /// <summary>
    /// How long after the last registration SPEC §3 lets the last watch take: the pauses Poe's 429s imposed after it,
    /// the time the budget needs for the requests sent after it, one video's worst chain of three faults (each a
    /// time-out of 2 s and then its back-off of 1, 2 and 4 s), the longest planned gap (the adaptive floor, 0.75 ×
    /// Polling:MaxInterval), and a second for each of the four polls and the delivery to start (SPEC: within 1 s).
    /// </summary>
    private static TimeSpan Bound(long registeredMs, IReadOnlyList<Simulator.Requests.RequestLogEntry> polls, Dictionary<string, Fault[]> scripts)
    {
        var pauses = RateLimitPauses.After(registeredMs, polls, scripts);
        var pacing = PoeBudget.SlotPeriod * polls.Count(p => p.AtMs >= registeredMs) / Budget;
        var chain = TimeSpan.FromSeconds((2 + 1) + (2 + 2) + (2 + 4));
        var floor = MaxInterval * AdaptiveCadence.FloorShare;
        return pauses + pacing + chain + floor + TimeSpan.FromSeconds(5);
    }
}
