using System.Globalization;
using Poe.Simulator.Requests;
using Poe.WebhookBridge.ReliabilityTests.Support;

namespace Poe.WebhookBridge.ReliabilityTests.ScaleOut;

/// <summary>
/// What the backlog tests share: three instances polling at the fixed 1 s interval under a budget of 120 polls/s, far
/// below the demand, and the promises SPEC §3 makes of any such run, checked on Poe's log of polls.
/// </summary>
internal static class BacklogRun
{
    public const int Instances = 3;
    public const int Budget = 7_200;
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public static Task<BridgeCluster> StartAsync(string name) => BridgeCluster.StartAsync(name, Instances, configure: s =>
    {
        s["Poe:RequestsPerMinute"] = Budget.ToString(CultureInfo.InvariantCulture);
        s["Polling:Strategy"] = "Fixed";
    });

    /// <summary>Poe's log over a run: the busiest 60 s and the closest two polls of one video.</summary>
    public static (int BusiestMinute, (string VideoId, long GapMs) Closest) Measure(IReadOnlyList<RequestLogEntry> polls) =>
        (RequestWindows.Busiest(polls.Select(p => p.AtMs), TimeSpan.FromMinutes(1)), RequestWindows.ClosestRepeat(polls));

    /// <summary>
    /// The instances kept polling at the budget's pace, no 60 s window went over it, Poe never answered 429, and no
    /// video was polled twice within the interval as Poe logs it (when it answers: the bridge times the next poll from
    /// the answer, so no gap is shorter).
    /// </summary>
    public static void AssertPacedAndSpaced(IReadOnlyList<RequestLogEntry> polls, TimeSpan watching)
    {
        var (busiestMinute, closest) = Measure(polls);
        Assert.True(polls.Count >= Budget / 60 * watching.TotalSeconds / 2, $"Only {polls.Count} polls in {watching.TotalSeconds} s.");
        Assert.True(busiestMinute <= Budget, $"{busiestMinute} polls in one 60 s window, over the budget of {Budget}.");
        Assert.DoesNotContain(polls, p => p.Status == 429);
        Assert.True(closest.GapMs >= Interval.TotalMilliseconds, $"Video {closest.VideoId} was polled twice {closest.GapMs} ms apart (interval {Interval.TotalMilliseconds} ms).");
    }
}
