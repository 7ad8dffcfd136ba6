using System.Text.Json;
using Npgsql;
using Poe.Simulator;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Tests.Delivery;
using Poe.WebhookBridge.Tests.Support;
using Poe.WebhookBridge.Watches;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>SPEC §4: <c>video.progress</c> is opt-in, and coalesced while unsent — the latest state wins.</summary>
public sealed class ProgressEventTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Progress_events_are_recorded_only_for_watches_that_asked_and_an_unsent_one_is_updated_instead_of_queueing_another()
    {
        await using var poe = await InProcessSimulator.StartAsync();
        await using var bridge = await PollingBridge.StartAsync(poe.BaseUrl, ("Webhooks:Timeout", "00:01:00"));
        // A consumer that hangs: once it holds as many deliveries as one host may have, its other events wait unsent,
        // which is when coalescing applies.
        await using var consumer = await WebhookReceiver.StartAsync(answer: WebhookReceiver.Hang);
        for (var i = 0; i < DeliveryCapacity.MaxPerHost; i++)
        {
            poe.Create($"video_blocker_{i:00}", running: TimeSpan.Zero);
            await PollingBridge.WatchAsync(bridge.Studio, $"video_blocker_{i:00}", callbackUrl: consumer.Url);
        }

        await Eventually.TrueAsync(
            () => Task.FromResult(consumer.MaxConcurrentRequests >= DeliveryCapacity.MaxPerHost), TimeSpan.FromSeconds(15), "the consumer to hold its fill of deliveries");
        poe.Create("video_progress", running: TimeSpan.FromSeconds(6));

        var subscribed = await PollingBridge.WatchAsync(bridge.Shop, "video_progress", ["video.progress", "video.completed"], consumer.Url);
        var silent = await PollingBridge.WatchAsync(bridge.Studio, "video_progress", callbackUrl: consumer.Url);
        var started = DateTimeOffset.UtcNow;
        var progressSeen = new SortedSet<int>();
        while (DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(4.5))
        {
            var (video, progressEvents) = await ProgressEventsAsync(bridge, subscribed);
            if (video is { } stored)
            {
                progressSeen.Add(stored.GetProperty("progress").GetInt32());
            }

            Assert.True(progressEvents.Count <= 1, $"{progressEvents.Count} progress events queued for one watch");
            if (progressEvents is [var unsent])
            {
                // The one unsent event carries the latest state: the video the watch has now.
                Assert.True(unsent.Unsent);
                Assert.True(JsonElement.DeepEquals(video!.Value, unsent.Data), $"event {unsent.Data} is not the latest state {video}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(150));
        }

        var (_, coalesced) = await ProgressEventsAsync(bridge, subscribed);
        var (_, none) = await ProgressEventsAsync(bridge, silent);
        output.WriteLine($"progress values polled: {string.Join(' ', progressSeen)}; progress events of the subscribed watch: {coalesced.Count}");
        Assert.True(progressSeen.Count >= 3, $"progress moved only through {string.Join(' ', progressSeen)}");
        Assert.True(Assert.Single(coalesced).Unsent);
        Assert.Empty(none);

        var ended = await bridge.EndedAsync(subscribed, TimeSpan.FromSeconds(10));
        Assert.Equal(WatchStatus.Completed, ended.Status);
        Assert.Equal(WatchStatus.Completed, (await bridge.EndedAsync(silent, TimeSpan.FromSeconds(5))).Status);
        // Once terminal, an unsent progress event is news no longer: only the terminal event remains to send.
        Assert.Equal(["video.completed"], (await bridge.EventsOfAsync(subscribed)).Select(e => e.Type));
        Assert.Equal(["video.completed"], (await bridge.EventsOfAsync(silent)).Select(e => e.Type));
    }

    /// <summary>The watch's stored video and its progress events, read in one statement (one snapshot).</summary>
    private static async Task<(JsonElement? Video, List<ProgressEvent> Events)> ProgressEventsAsync(PollingBridge bridge, string watchId)
    {
        await using var connection = new NpgsqlConnection(bridge.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT w.video::text, e.payload::text, e.status, e.attempt_count
            FROM bridge.watches w LEFT JOIN bridge.webhook_events e ON e.watch_id = w.id AND e.type = 'video.progress'
            WHERE w.id = $1
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = watchId });
        JsonElement? video = null;
        var events = new List<ProgressEvent>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            video ??= reader.IsDBNull(0) ? null : JsonDocument.Parse(reader.GetString(0)).RootElement.Clone();
            if (!reader.IsDBNull(1))
            {
                var data = JsonDocument.Parse(reader.GetString(1)).RootElement.GetProperty("data").Clone();
                events.Add(new ProgressEvent(data, reader.GetString(2) == DeliveryStatus.Pending && reader.GetInt32(3) == 0));
            }
        }

        return (video, events);
    }

    private sealed record ProgressEvent(JsonElement Data, bool Unsent);
}
