using Poe.Simulator.Faults;
using Poe.WebhookBridge.ReliabilityTests.Support;
using Poe.WebhookBridge.Tests.Support;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.ReliabilityTests.ScaleOut;

/// <summary>
/// SPEC §3: a video is polled every <c>Polling:Interval</c>, never more often, as Poe sees it — with three instances
/// claiming from a backlog (more due videos than the budget covers) and some answers slow.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class BacklogPollSpacingTests(ITestOutputHelper output)
{
    // A demand of 200 polls/s at the 1 s interval against the budget's 120: videos wait in a backlog, and the budget sets the pace.
    private const int Videos = 200;
    private static readonly TimeSpan Watching = TimeSpan.FromSeconds(30);
    // Every fourth video answers every other poll this late: Poe sees such a request long before the bridge has its
    // answer, which is where a next poll timed from the sending would reach Poe within the interval.
    private static readonly TimeSpan SlowAnswer = TimeSpan.FromMilliseconds(900);

    [Fact]
    public async Task Three_instances_over_a_backlog_never_poll_one_video_twice_within_the_interval()
    {
        await using var cluster = await BacklogRun.StartAsync("backlogspacing");
        var slow = Enumerable.Range(0, 20).Select(i => Fault.Delay(i % 2 == 0 ? SlowAnswer : TimeSpan.Zero)).ToArray();
        var ids = Enumerable.Range(0, Videos).Select(i => $"video_b{i:000}").ToList();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            cluster.Poe.Create(id, running: TimeSpan.FromDays(1), faults: i % 4 == 0 ? slow : []);
        }

        var apis = Enumerable.Range(0, BacklogRun.Instances).Select(cluster.Api).ToList();
        await Parallel.ForEachAsync(ids.Select((id, i) => (id, i)), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (item, _) =>
        {
            var answer = await Registrations.TryRegisterAsync(apis[item.i % BacklogRun.Instances], item.id, cluster.Receiver.Url);
            Assert.Equal(System.Net.HttpStatusCode.Created, answer?.Status);
        });

        var started = DateTimeOffset.UtcNow;
        var mostDue = 0L;
        while (DateTimeOffset.UtcNow - started < Watching)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var due = await cluster.QueryAsync("SELECT count(*) FROM bridge.video_polls WHERE next_poll_at <= now()", r => r.GetInt64(0));
            mostDue = Math.Max(mostDue, due[0]);
        }

        var polls = cluster.Poe.Requests.Since();
        var (busiestMinute, closest) = BacklogRun.Measure(polls);
        var span = polls.Count == 0 ? 0 : (polls.Max(p => p.AtMs) - polls.Min(p => p.AtMs)) / 1000.0;
        Summary.Report(output,
            $"backlog spacing: instances={BacklogRun.Instances} videos={Videos} budget={BacklogRun.Budget}/min polls={polls.Count} over {span:0} s " +
            $"most-due={mostDue} busiest-60s={busiestMinute} closest-polls-of-one-video={closest.GapMs} ms ({closest.VideoId})");

        // The backlog was real: many videos waited at once.
        Assert.True(mostDue >= 20, $"At most {mostDue} videos were due at once: no backlog.");
        BacklogRun.AssertPacedAndSpaced(polls, Watching);
    }
}
