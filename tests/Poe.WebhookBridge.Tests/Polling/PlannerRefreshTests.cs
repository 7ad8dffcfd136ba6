using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Poe.WebhookBridge.Polling;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>
/// The planner's read of its inputs counts each key's polls, so it takes longer as watches grow: it keeps that read to a
/// small share of the time by spacing it out when it is slow, and re-reads every two seconds when it is quick.
/// </summary>
public sealed class PlannerRefreshTests(BridgeFactory bridge) : BridgeTest(bridge)
{
    private const string Key = "pk_planner_refresh";

    [Theory]
    [InlineData(10, true)]
    [InlineData(2_000, false)]
    public async Task A_read_that_takes_long_is_not_repeated_until_it_is_a_twentieth_of_the_time_since(int readMs, bool rereadAt30Seconds)
    {
        var start = DateTimeOffset.UtcNow;
        var clock = new ReadTimingClock(start, TimeSpan.FromMilliseconds(readMs));
        var planner = new PollPlanner(
            Bridge.Services.GetRequiredService<NpgsqlDataSource>(),
            Options.Create(new PollingOptions { Strategy = PollingStrategy.Adaptive, Interval = TimeSpan.FromSeconds(1) }),
            Options.Create(new PoeOptions { RequestsPerMinute = 60 }),
            clock);
        // Ten videos polled every second ask 600 requests a minute of a key allowed 60: it is short, so it plans adaptively.
        await Database.QueryAsync(db =>
        {
            db.VideoPolls.AddRange(Enumerable.Range(0, 10).Select(i => new VideoPoll { PoeKeyId = Key, VideoId = $"video_refresh_{i}", NextPollAt = start, CreatedAt = start }));
            return db.SaveChangesAsync();
        });

        await planner.RefreshAsync(CancellationToken.None);
        clock.Now = start + AdaptiveCadence.SteeringWindow;
        Assert.True(Steered(planner, clock.Now), "a key short for a whole steering window plans adaptively");

        // Its videos are gone, so it is no longer short, but the planner only learns that when it reads again.
        await Database.QueryAsync(db => db.VideoPolls.Where(p => p.PoeKeyId == Key).ExecuteDeleteAsync());
        clock.Now = start + TimeSpan.FromSeconds(30);
        await planner.RefreshAsync(CancellationToken.None);
        Assert.Equal(!rereadAt30Seconds, Steered(planner, clock.Now));

        // A 2 s read is repeated 40 s after the last one started.
        clock.Now = start + TimeSpan.FromSeconds(40);
        await planner.RefreshAsync(CancellationToken.None);
        Assert.False(Steered(planner, clock.Now));
    }

    private static bool Steered(PollPlanner planner, DateTimeOffset at) => planner.PlanFirst(Key, "video_new", at) > at;

    /// <summary>A clock set by the test, whose stopwatch says every read took <paramref name="readTakes"/>.</summary>
    private sealed class ReadTimingClock(DateTimeOffset now, TimeSpan readTakes) : TimeProvider
    {
        private long _ticks;

        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        // The planner reads the stopwatch once before and once after its read.
        public override long GetTimestamp() => _ticks += readTakes.Ticks;
    }
}
