using Microsoft.EntityFrameworkCore;
using Npgsql;
using Poe.WebhookBridge.Tests.Support;
using Poe.WebhookBridge.Watches;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>Recording one video's end waits for nothing another video's end holds: terminal write-backs run side by side.</summary>
public sealed class TerminalWriteTests(TerminalWriteTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<TerminalWriteTests.Fixture>
{
    [Fact]
    public async Task A_terminal_state_is_recorded_while_another_write_back_holds_the_learned_duration_of_its_kind_of_video()
    {
        var (poe, bridge) = (fixture.Poe, fixture.Bridge);
        // The warm-up video taught the bridge how long a sora-2 8 s video takes; another video of that kind ending
        // now updates the same row. Holding that row stands for a slow write-back of a video that ended a moment before.
        var learned = await bridge.Database.QueryAsync(db => db.DurationStats.AsNoTracking().SingleAsync());
        await using var other = new NpgsqlConnection(bridge.ConnectionString);
        await other.OpenAsync();
        await using var holding = await other.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM bridge.duration_stats FOR UPDATE", other, holding))
        {
            await lockRow.ExecuteNonQueryAsync();
        }

        poe.Create("video_ends_meanwhile", running: TimeSpan.Zero);
        var id = await PollingBridge.WatchAsync(bridge.Shop, "video_ends_meanwhile");
        var recorded = await Eventually.ValueAsync(
            async () => await bridge.ReadWatchAsync(id) is { Status: not WatchStatus.Active } watch ? watch : null,
            TimeSpan.FromSeconds(5),
            "the watch to be recorded completed while the other write-back holds its row");
        output.WriteLine($"recorded {(recorded.EndedAt!.Value - recorded.CreatedAt).TotalMilliseconds:F0} ms after registration");
        await holding.RollbackAsync();

        Assert.Equal(WatchStatus.Completed, recorded.Status);
        // What it took is still learned, once the row is free.
        await Eventually.TrueAsync(
            async () => (await bridge.Database.QueryAsync(db => db.DurationStats.AsNoTracking().SingleAsync())).Samples == learned.Samples + 1,
            TimeSpan.FromSeconds(5),
            "the duration to be learned");
    }

    public sealed class Fixture : SimulatedPoeFixture;
}
