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

        Assert.Equal(["video_urgent_a", "video_urgent_b", "video_backlog_30", "video_backlog_29"], first.Polls.Select(p => p.VideoId));
        Assert.Equal(["video_backlog_28", "video_backlog_27", "video_backlog_26"], second.Polls.Select(p => p.VideoId));
    }

    [Fact]
    public async Task A_claim_serves_the_keys_that_waited_longest_and_leaves_the_others_first_in_line_for_the_next()
    {
        // Three keys, ten due videos each: key a's videos came due first, then b's, then c's.
        var keys = new[] { $"{Key}-a", $"{Key}-b", $"{Key}-c" };
        for (var k = 0; k < keys.Length; k++)
        {
            await DueVideos.SeedAsync(Database, keys[k], _now.AddHours(-1), Enumerable.Range(0, 10).Select(i => new VideoPoll
            {
                PoeKeyId = keys[k], VideoId = $"video_{keys[k]}_{i}", NextPollAt = _now.AddSeconds(-30 + (k * 10) + i), CreatedAt = _now.AddHours(-1),
            }));
        }

        var claimer = ActivatorUtilities.CreateInstance<PollClaimer>(Bridge.Services, (TimeProvider)new FakeTimeProvider(_now));

        // A claim of one key's worth serves one key, the one that waited longest, and says others are left.
        var first = await claimer.ClaimAsync(PollClaimer.PollsPerKey, CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, PollClaimer.PollsPerKey).Select(i => $"video_{keys[0]}_{i}"), first.Polls.Select(p => p.VideoId));
        Assert.True(first.KeysLeft);

        // Key a's last videos still waited longest; then key b's oldest, ahead of key c's.
        var second = await claimer.ClaimAsync(PollClaimer.PollsPerKey, CancellationToken.None);
        Assert.Equal([$"video_{keys[0]}_8", $"video_{keys[0]}_9"], second.Polls.Select(p => p.VideoId));
        var third = await claimer.ClaimAsync(PollClaimer.PollsPerKey, CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, PollClaimer.PollsPerKey).Select(i => $"video_{keys[1]}_{i}"), third.Polls.Select(p => p.VideoId));
        Assert.True(third.KeysLeft);

        // A claim with room for every key serves them all and leaves none.
        var rest = await claimer.ClaimAsync(PollClaimer.PollsPerKey * keys.Length, CancellationToken.None);
        Assert.Equal(
            [.. new[] { $"video_{keys[1]}_8", $"video_{keys[1]}_9" }.Concat(Enumerable.Range(0, 10).Select(i => $"video_{keys[2]}_{i}"))],
            rest.Polls.Select(p => p.VideoId).Order(StringComparer.Ordinal));
        Assert.False(rest.KeysLeft);
    }

    // urgent_at as the poll write-back stores it: the last answer plus UrgentAfter.
    private Task<int> SeedAsync(List<(string Video, DateTimeOffset NextPollAt, DateTimeOffset LastPolledAt)> polls, TimeSpan urgentAfter) =>
        DueVideos.SeedAsync(Database, Key, _now.AddHours(-1), polls.Select(p => new VideoPoll
        {
            PoeKeyId = Key, VideoId = p.Video, NextPollAt = p.NextPollAt, LastPolledAt = p.LastPolledAt, UrgentAt = p.LastPolledAt + urgentAfter, CreatedAt = _now.AddHours(-1),
        }));
}
