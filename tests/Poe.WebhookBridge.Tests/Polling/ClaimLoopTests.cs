using Npgsql;
using Poe.Simulator;
using Poe.WebhookBridge.Polling;
using Poe.WebhookBridge.Tests.Support;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>
/// One claim loop per process (<see cref="PollRunner.ClaimTurn"/>): when a claim is slower than the once-a-second
/// firings, the later firings wait for their turn instead of claiming the same free room again and queueing on the
/// same keys' locks.
/// </summary>
[Collection(AloneCollectionDefinition.Name)]
public sealed class ClaimLoopTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Held = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task While_a_claim_waits_on_a_key_lock_no_second_claim_of_the_same_process_joins_it_and_polling_resumes_after()
    {
        await using var poe = await InProcessSimulator.StartAsync();
        await using var bridge = await PollingBridge.StartAsync(poe.BaseUrl);
        poe.CreateNeverEnding("video_claim_loop");
        await PollingBridge.WatchAsync(bridge.Shop, "video_claim_loop");
        await Eventually.TrueAsync(() => Task.FromResult(poe.RequestsFor("video_claim_loop").Count > 0), TimeSpan.FromSeconds(10), "the first poll");

        // Holding every key's row makes each claim wait at its key probe for as long as the test keeps the lock.
        await using var locker = new NpgsqlConnection(bridge.ConnectionString);
        await locker.OpenAsync();
        await using var hold = await locker.BeginTransactionAsync();
        await using (var lockKeys = new NpgsqlCommand("SELECT id FROM bridge.poe_keys FOR UPDATE", locker, hold))
        {
            await lockKeys.ExecuteNonQueryAsync();
        }

        await using var observer = new NpgsqlConnection(bridge.ConnectionString);
        await observer.OpenAsync();
        var waiting = new List<long>();
        var until = DateTimeOffset.UtcNow + Held;
        while (DateTimeOffset.UtcNow < until)
        {
            await using var count = new NpgsqlCommand("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock' AND query LIKE '%JOIN bridge.poe_keys k%FOR UPDATE OF k%'
                """, observer);
            waiting.Add((long)(await count.ExecuteScalarAsync())!);
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        var pollsBefore = poe.RequestsFor("video_claim_loop").Count;
        await hold.CommitAsync();
        output.WriteLine($"claims waiting on the key lock, sampled every 100 ms for {Held.TotalSeconds:0} s: {string.Join(' ', waiting)}");

        Assert.Contains(1L, waiting);
        Assert.True(waiting.Max() <= 1, $"up to {waiting.Max()} claims of one process waited on the keys at once");
        await Eventually.TrueAsync(() => Task.FromResult(poe.RequestsFor("video_claim_loop").Count > pollsBefore), TimeSpan.FromSeconds(10), "a poll after the lock was released");
    }
}
