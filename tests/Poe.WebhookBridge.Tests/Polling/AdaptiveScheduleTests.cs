using Microsoft.EntityFrameworkCore;
using Poe.Simulator.Requests;
using Poe.WebhookBridge.Polling;
using Poe.WebhookBridge.Tests.Support;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>
/// Adaptive polling through the service's own paths: a key whose budget cannot poll every video at the interval plans
/// each poll from its video's expected end, stores that estimate, and learns from the ends how far off it was.
/// </summary>
public sealed class AdaptiveScheduleTests(AdaptiveScheduleTests.Fixture fixture) : IClassFixture<AdaptiveScheduleTests.Fixture>
{
    private const int Budget = 60;

    [Fact]
    public async Task A_short_budget_plans_from_expected_ends_and_learns_from_the_videos_that_end()
    {
        var (poe, bridge) = (fixture.Poe, fixture.Bridge);
        var before = await SettledPriorAsync(bridge);
        // Six videos polled every second would need 360 requests a minute: the key is short, so it plans adaptively.
        string[] ending = ["video_adaptive_1", "video_adaptive_2", "video_adaptive_3", "video_adaptive_4"];
        string[] running = ["video_adaptive_long_1", "video_adaptive_long_2"];
        // They end after the key has been short for a steering window, so their last polls were planned with an estimate.
        foreach (var id in ending)
        {
            poe.Create(id, running: AdaptiveCadence.SteeringWindow + TimeSpan.FromSeconds(12), queued: TimeSpan.FromSeconds(1));
        }

        foreach (var id in running)
        {
            poe.CreateNeverEnding(id);
        }

        var watches = await Task.WhenAll(ending.Concat(running).Select(id => PollingBridge.WatchAsync(bridge.Shop, id)));
        var ended = await Task.WhenAll(watches.Take(ending.Length).Select(id => bridge.EndedAsync(id, TimeSpan.FromSeconds(90))));

        Assert.All(ended, w => Assert.Equal(WatchStatus.Completed, w.Status));
        var samplesBefore = before?.Samples ?? 0;
        var learned = await Eventually.ValueAsync(
            () => bridge.Database.QueryAsync(db => db.DurationStats.AsNoTracking().SingleOrDefaultAsync(s => s.Samples >= samplesBefore + ending.Length)),
            TimeSpan.FromSeconds(10), "the four ends learned");
        Assert.Equal(samplesBefore + ending.Length, learned.Samples);
        // Each end was compared with the estimate stored before it, so the learned surprise moved off its start (an
        // end without an estimate leaves it at, or starts it at, 1).
        Assert.NotEqual(before?.Surprise ?? 1.0, learned.Surprise);
        var polls = await bridge.Database.QueryAsync(db => db.VideoPolls.AsNoTracking().Where(p => running.Contains(p.VideoId)).ToListAsync());
        Assert.All(polls, p => Assert.NotNull(p.ExpectedEndAt));
        Assert.True(RequestWindows.Busiest(poe.Requests.Since().Select(r => r.AtMs), TimeSpan.FromMinutes(1)) <= Budget, "more requests in one minute than the budget");
    }

    [Fact]
    public async Task On_a_short_key_a_new_video_is_first_polled_when_planned_not_at_once()
    {
        var (poe, bridge) = (fixture.Poe, fixture.Bridge);
        // Twenty videos that never end share the 60 requests a minute: each is polled every 20 s or so, so requests are dear.
        var busy = Enumerable.Range(1, 20).Select(i => $"video_first_busy_{i}").ToArray();
        foreach (var id in busy)
        {
            poe.CreateNeverEnding(id);
            await PollingBridge.WatchAsync(bridge.Shop, id);
        }

        // Once the planner has priced the short key, its polls carry an expected end; first polls are planned once the
        // key has stayed short for a steering window (and a planner refresh more).
        await Eventually.TrueAsync(
            () => bridge.Database.QueryAsync(db => db.VideoPolls.AnyAsync(p => busy.Contains(p.VideoId) && p.ExpectedEndAt != null)),
            TimeSpan.FromSeconds(30), "adaptive plans on the short key");
        await Task.Delay(AdaptiveCadence.SteeringWindow + TimeSpan.FromSeconds(3));

        const string VideoId = "video_first_planned";
        poe.Create(VideoId, running: TimeSpan.FromSeconds(3), queued: TimeSpan.FromSeconds(1));
        var watchId = await PollingBridge.WatchAsync(bridge.Shop, VideoId);
        var registeredAt = (await bridge.ReadWatchAsync(watchId)).CreatedAt;
        var firstPollAt = await bridge.Database.QueryAsync(db => db.VideoPolls.Where(p => p.VideoId == VideoId).Select(p => p.NextPollAt).SingleAsync());

        Assert.InRange(firstPollAt - registeredAt, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60) * AdaptiveCadence.FloorShare);
        Assert.Equal(WatchStatus.Completed, (await bridge.EndedAsync(watchId, TimeSpan.FromSeconds(90))).Status);
        Assert.True(poe.RequestsFor(VideoId)[0].AtMs >= firstPollAt.ToUnixTimeMilliseconds() - 1, "the first poll went before its planned time");
    }

    /// <summary>
    /// The learned prior as it stands once no end is still being learned: it is written after an end's commit, in a
    /// statement of its own, so the class's other test may have ended a video a moment before this one reads it (or
    /// not run yet: then there is none).
    /// </summary>
    private static async Task<DurationStat?> SettledPriorAsync(PollingBridge bridge)
    {
        var read = () => bridge.Database.QueryAsync(db => db.DurationStats.AsNoTracking().SingleOrDefaultAsync());
        var prior = await read();
        for (var attempt = 0; attempt < 10; attempt++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var again = await read();
            if (again?.Samples == prior?.Samples)
            {
                return again;
            }

            prior = again;
        }

        throw new TimeoutException("the learned prior kept changing");
    }

    public sealed class Fixture : SimulatedPoeFixture
    {
        protected override (string Key, string? Value)[] Settings =>
        [
            ("Polling:Strategy", "adaptive"),
            ("Polling:Interval", "00:00:01"),
            ("Poe:RequestsPerMinute", $"{Budget}"),
        ];
    }
}
