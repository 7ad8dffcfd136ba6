using Npgsql;
using Poe.Simulator;
using Poe.WebhookBridge.Polling;
using Poe.WebhookBridge.Tests.Support;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>
/// Claims run side by side (<see cref="PollTickJob.ClaimLoops"/> in a process, and one or more per instance), each on
/// keys no other claim holds: a key whose row another transaction holds — another claim, on this instance or another —
/// is skipped, not waited for, so the other keys' videos are polled meanwhile.
/// </summary>
[Collection(AloneCollectionDefinition.Name)]
public sealed class ClaimLoopTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Held = TimeSpan.FromSeconds(5);

    // Polls claimed just before the test took the lock may still reach Poe a moment after it.
    private static readonly TimeSpan InFlightGrace = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task While_another_transaction_holds_one_key_no_claim_waits_for_it_and_the_other_keys_videos_are_still_polled()
    {
        await using var poe = await InProcessSimulator.StartAsync();
        await using var bridge = await PollingBridge.StartAsync(
            poe.BaseUrl, ("Clients:studio:PoeApiKey", "poe_test_key_studio_0123456789"), ("Polling:Strategy", "fixed"));
        poe.CreateNeverEnding("video_held_key");
        poe.CreateNeverEnding("video_free_key");
        await PollingBridge.WatchAsync(bridge.Shop, "video_held_key");
        await PollingBridge.WatchAsync(bridge.Studio, "video_free_key");
        await Eventually.TrueAsync(
            () => Task.FromResult(poe.RequestsFor("video_held_key").Count > 0 && poe.RequestsFor("video_free_key").Count > 0),
            TimeSpan.FromSeconds(10), "the first polls of both videos");

        await using var locker = new NpgsqlConnection(bridge.ConnectionString);
        await locker.OpenAsync();
        await using var hold = await locker.BeginTransactionAsync();
        await using (var lockKey = new NpgsqlCommand("""
            SELECT k.id FROM bridge.poe_keys k JOIN bridge.video_polls p ON p.poe_key_id = k.id
            WHERE p.video_id = 'video_held_key' FOR UPDATE OF k
            """, locker, hold))
        {
            await lockKey.ExecuteNonQueryAsync();
        }

        var heldSince = (DateTimeOffset.UtcNow + InFlightGrace).ToUnixTimeMilliseconds();
        await using var observer = new NpgsqlConnection(bridge.ConnectionString);
        await observer.OpenAsync();
        var waiting = new List<long>();
        var until = DateTimeOffset.UtcNow + Held;
        while (DateTimeOffset.UtcNow < until)
        {
            await using var count = new NpgsqlCommand("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'
                """, observer);
            waiting.Add((long)(await count.ExecuteScalarAsync())!);
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        var heldPolls = poe.RequestsFor("video_held_key").Count(r => r.AtMs >= heldSince);
        var freePolls = poe.RequestsFor("video_free_key").Count(r => r.AtMs >= heldSince);
        var pollsBefore = poe.RequestsFor("video_held_key").Count;
        await hold.CommitAsync();
        output.WriteLine($"in the {Held.TotalSeconds - InFlightGrace.TotalSeconds:0} s the key was held: {heldPolls} polls of its video, {freePolls} of the other key's; "
            + $"sessions waiting on a lock, sampled every 100 ms: {string.Join(' ', waiting)}");

        Assert.All(waiting, w => Assert.Equal(0, w));
        Assert.Equal(0, heldPolls);
        Assert.True(freePolls >= 2, $"the other key's video was polled {freePolls} times in {Held - InFlightGrace} at an interval of 1 s");
        await Eventually.TrueAsync(() => Task.FromResult(poe.RequestsFor("video_held_key").Count > pollsBefore), TimeSpan.FromSeconds(10), "a poll after the key was freed");
    }
}
