using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Poe.WebhookBridge.Budget;
using Poe.WebhookBridge.Polling;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>
/// A claimed poll not sent within <see cref="PoeBudget.SendDeadline"/> of its claim is never sent: it is given back,
/// due when it was, so it keeps its place in the due order for the next claim.
/// </summary>
public sealed class UnsentPollTests(BridgeFactory bridge) : BridgeTest(bridge)
{
    private const string Key = "unsent-poll-test";
    private static readonly string[] Videos = ["video_unsent_1", "video_unsent_2", "video_unsent_3"];

    // A day ahead: the shared bridge's own poll loop, on the real clock, never finds these videos due. Whole
    // milliseconds, so the due times compare equal after PostgreSQL's microsecond round trip.
    private readonly DateTimeOffset _now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds());

    [Fact]
    public async Task Polls_that_missed_their_send_deadline_are_given_back_unsent_in_their_place()
    {
        await SeedAsync();
        var claimed = (await ActivatorUtilities.CreateInstance<PollClaimer>(Bridge.Services, (TimeProvider)new FakeTimeProvider(_now))
            .ClaimAsync(Videos.Length, CancellationToken.None)).Polls;
        Assert.Equal(Videos.Length, claimed.Count);

        // The runner picks the polls up just after the deadline (a claim that took longer than it, say).
        using var runner = ActivatorUtilities.CreateInstance<PollRunner>(
            Bridge.Services, (TimeProvider)new FakeTimeProvider(_now + PoeBudget.SendDeadline + TimeSpan.FromMilliseconds(1)));
        foreach (var poll in claimed)
        {
            runner.Start(poll);
        }

        await Eventually.TrueAsync(
            async () => (await PollsAsync()).All(p => p.ClaimedUntil is null),
            TimeSpan.FromSeconds(10), "the unsent polls to be given back");
        var polls = await PollsAsync();
        Assert.All(polls, p => Assert.Equal(DueAt(p.VideoId), p.NextPollAt));
        Assert.All(polls, p => Assert.Null(p.LastPolledAt));
        Assert.All(polls, p => Assert.Equal(0, p.FailureCount));
    }

    private DateTimeOffset DueAt(string video) => _now.AddSeconds(-1 - Array.IndexOf(Videos, video));

    private Task<List<VideoPoll>> PollsAsync() =>
        Database.QueryAsync(db => db.VideoPolls.AsNoTracking().Where(p => p.PoeKeyId == Key).ToListAsync());

    private Task<int> SeedAsync() =>
        DueVideos.SeedAsync(Database, Key, _now.AddHours(-1), Videos.Select(video => new VideoPoll { PoeKeyId = Key, VideoId = video, NextPollAt = DueAt(video), CreatedAt = _now.AddHours(-1) }));
}
