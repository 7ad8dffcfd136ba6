using Npgsql;
using Poe.Simulator;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Tests.Delivery;
using Poe.WebhookBridge.Tests.Support;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>While an endpoint is disabled its progress webhooks wait held, coalesced as unsent ones are, and go once the video ends.</summary>
public sealed class HeldProgressEventTests
{
    [Fact]
    public async Task A_watch_on_a_disabled_endpoint_holds_one_progress_event_at_most_and_none_once_the_video_ends()
    {
        await using var poe = await InProcessSimulator.StartAsync();
        await using var bridge = await PollingBridge.StartAsync(poe.BaseUrl);
        await using var consumer = await WebhookReceiver.StartAsync();
        await ExecuteAsync(bridge, $"""
            INSERT INTO bridge.endpoints (id, client_name, url, status, failed_attempts, disabled_at, created_at)
            VALUES ('ep_held_progress', 'shop', 'http://127.0.0.1:{consumer.Port}', 'disabled', 2, now(), now())
            """);
        poe.Create("video_held_progress", running: TimeSpan.FromSeconds(5));

        var watchId = await PollingBridge.WatchAsync(bridge.Shop, "video_held_progress", ["video.progress", "video.completed"], consumer.Url);
        var mostHeld = 0;
        while ((await bridge.ReadWatchAsync(watchId)).Status == WatchStatus.Active)
        {
            var progress = (await bridge.EventsOfAsync(watchId)).Where(e => e.Type == WatchEventTypes.VideoProgress).ToList();
            Assert.All(progress, e => Assert.Equal(DeliveryStatus.Held, e.Status));
            mostHeld = Math.Max(mostHeld, progress.Count);
            Assert.True(progress.Count <= 1, $"{progress.Count} progress events held for one watch");
            await Task.Delay(TimeSpan.FromMilliseconds(150));
        }

        Assert.Equal(1, mostHeld);
        var events = await bridge.EventsOfAsync(watchId);
        Assert.Equal([WatchEventTypes.VideoCompleted], events.Select(e => e.Type));
        Assert.Equal(DeliveryStatus.Held, Assert.Single(events).Status);
        Assert.Empty(consumer.Received);
    }

    private static async Task ExecuteAsync(PollingBridge bridge, string sql)
    {
        await using var connection = new NpgsqlConnection(bridge.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
