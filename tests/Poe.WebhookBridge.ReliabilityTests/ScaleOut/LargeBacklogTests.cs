using Poe.WebhookBridge.ReliabilityTests.Support;
using Poe.WebhookBridge.Tests.Support;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.ReliabilityTests.ScaleOut;

/// <summary>
/// SPEC §3 under a backlog far beyond the budget: three instances claim from thousands of due videos (written straight
/// into the tables, as the benchmark seeds them) and still poll each video at most once per <c>Polling:Interval</c> as
/// Poe sees it, oldest due first, none starved.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class LargeBacklogTests(ITestOutputHelper output)
{
    // A demand of 3,000 polls/s at the 1 s interval against the budget's 120: one round of the backlog takes ~25 s.
    private const int Videos = 3_000;
    private static readonly TimeSpan Watching = TimeSpan.FromSeconds(45);
    // A claim is sent within PoeBudget.SendDeadline (1 s); what Poe logs as one claim's polls may spread that much and
    // more on a loaded machine, so "before" is judged with this slack.
    private static readonly TimeSpan OrderSlack = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Three_instances_over_thousands_of_due_videos_poll_oldest_first_none_twice_within_the_interval()
    {
        await using var cluster = await BacklogRun.StartAsync("largebacklog");
        var ids = Enumerable.Range(0, Videos).Select(i => $"video_l{i:0000}").ToList();
        foreach (var id in ids)
        {
            cluster.Poe.CreateNeverEnding(id);
        }

        // Due one millisecond apart, video_l0000 the newest: what a long-standing backlog looks like in the table.
        var seeded = await cluster.QueryAsync($$"""
            WITH key AS (SELECT id FROM bridge.poe_keys LIMIT 1),
            w AS (INSERT INTO bridge.watches (id, client_name, video_id, callback_url, poe_key_id, events, metadata, status, poll_count, created_at)
                  SELECT 'watch_l' || g, '{{cluster.Client.Name}}', 'video_l' || lpad(g::text, 4, '0'), '{{cluster.Receiver.Url}}', key.id,
                         '{video.completed,video.failed,watch.failed}', '{}', 'active', 0, now()
                  FROM generate_series(0, {{Videos - 1}}) g, key RETURNING 1),
            p AS (INSERT INTO bridge.video_polls (poe_key_id, video_id, next_poll_at, failure_count, created_at)
                  SELECT key.id, 'video_l' || lpad(g::text, 4, '0'), now() - interval '1 minute' - g * interval '1 millisecond', 0, now()
                  FROM generate_series(0, {{Videos - 1}}) g, key RETURNING 1)
            SELECT (SELECT count(*) FROM w) + (SELECT count(*) FROM p)
            """, r => r.GetInt64(0));
        Assert.Equal(2L * Videos, seeded[0]);

        await Task.Delay(Watching);

        var polls = cluster.Poe.Requests.Since().Where(p => p.VideoId.StartsWith("video_l", StringComparison.Ordinal)).ToList();
        var byVideo = polls.GroupBy(p => p.VideoId).ToDictionary(g => g.Key, g => g.Select(p => p.AtMs).Order().ToList());
        var (busiestMinute, closest) = BacklogRun.Measure(polls);
        var lastFirst = byVideo.Count == 0 ? 0 : byVideo.Values.Max(t => t[0]);
        // Oldest due first: every seeded video was due before any video polled once comes due again, so no second
        // poll goes out while a first one is still waiting.
        var early = byVideo.Where(v => v.Value.Count > 1 && v.Value[1] < lastFirst - OrderSlack.TotalMilliseconds).Select(v => v.Key).ToList();
        Summary.Report(output,
            $"large backlog: instances={BacklogRun.Instances} videos={Videos} budget={BacklogRun.Budget}/min polls={polls.Count} polled={byVideo.Count} " +
            $"first-round={(lastFirst - (polls.Count == 0 ? 0 : polls.Min(p => p.AtMs))) / 1000.0:0.0} s second-polls-before-the-round-ended={early.Count} " +
            $"busiest-60s={busiestMinute} closest-polls-of-one-video={closest.GapMs} ms ({closest.VideoId})");

        Assert.Equal(Videos, byVideo.Count);
        Assert.True(byVideo.Values.Any(t => t.Count > 1), "No video was polled twice: the run did not get past the first round.");
        Assert.True(early.Count == 0, $"{early.Count} videos were polled again before the first round ended, e.g. {string.Join(", ", early.Take(5))}.");
        BacklogRun.AssertPacedAndSpaced(polls, Watching);
    }
}
