using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Poe.WebhookBridge.Polling;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>
/// The claim serves due videos in order of <c>LEAST(next_poll_at, last_polled_at + UrgentAfter)</c>: oldest due first,
/// a video nearing its floor ahead of its turn, even when its own poll time is the latest of a long backlog.
/// </summary>
public sealed class ClaimOrderTests(BridgeFactory bridge) : BridgeTest(bridge)
{
    private const string Key = "claim-order-test";
    private const int Backlog = 30;

    // A day ahead: the shared bridge's own poll loop, on the real clock, never finds these videos due.
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow.AddDays(1);

    [Fact]
    public async Task Videos_nearing_their_floor_are_claimed_first_then_the_backlog_oldest_due_first()
    {
        var urgentAfter = AdaptiveCadence.UrgentAfter(Bridge.Services.GetRequiredService<IOptions<PollingOptions>>().Value.MaxInterval);
        var polls = new List<(string Video, DateTimeOffset NextPollAt, DateTimeOffset LastPolledAt)>();
        for (var i = 1; i <= Backlog; i++)
        {
            // Due i seconds ago, last polled 5 s before that: nowhere near the floor.
            polls.Add(($"video_backlog_{i:00}", _now.AddSeconds(-i), _now.AddSeconds(-i - 5)));
        }

        // Due last of all, but not polled for longer than the urgency threshold: they go first, the longer unpolled first.
        polls.Add(("video_urgent_a", _now.AddMilliseconds(-100), _now - urgentAfter - TimeSpan.FromSeconds(40)));
        polls.Add(("video_urgent_b", _now.AddMilliseconds(-200), _now - urgentAfter - TimeSpan.FromSeconds(35)));
        await SeedAsync(polls, urgentAfter);
        var claimer = ActivatorUtilities.CreateInstance<PollClaimer>(Bridge.Services, (TimeProvider)new FakeTimeProvider(_now));

        var first = await claimer.ClaimAsync(4, CancellationToken.None);
        var second = await claimer.ClaimAsync(3, CancellationToken.None);

        Assert.Equal(["video_urgent_a", "video_urgent_b", "video_backlog_30", "video_backlog_29"], first.Select(p => p.VideoId));
        Assert.Equal(["video_backlog_28", "video_backlog_27", "video_backlog_26"], second.Select(p => p.VideoId));
    }

    // urgent_at as the poll write-back stores it: the last answer plus UrgentAfter.
    private Task<int> SeedAsync(List<(string Video, DateTimeOffset NextPollAt, DateTimeOffset LastPolledAt)> polls, TimeSpan urgentAfter) =>
        DueVideos.SeedAsync(Database, Key, _now.AddHours(-1), polls.Select(p => new VideoPoll
        {
            PoeKeyId = Key, VideoId = p.Video, NextPollAt = p.NextPollAt, LastPolledAt = p.LastPolledAt, UrgentAt = p.LastPolledAt + urgentAfter, CreatedAt = _now.AddHours(-1),
        }));
}
