using System.Text.Json;
using Poe.Simulator;
using Poe.WebhookBridge.Tests.Support;
using Poe.WebhookBridge.Watches;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.Tests.Polling;

public sealed class SharedPollTests(SharedPollTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<SharedPollTests.Fixture>
{
    private readonly InProcessSimulator _poe = fixture.Poe;
    private readonly PollingBridge _bridge = fixture.Bridge;

    [Fact]
    public async Task Watches_of_one_video_under_one_key_share_one_poll_and_each_gets_its_own_event()
    {
        _poe.Create("video_shared", running: TimeSpan.FromSeconds(5));
        var started = DateTimeOffset.UtcNow;
        string[] watches =
        [
            await PollingBridge.WatchAsync(_bridge.Shop, "video_shared", callbackUrl: PollingBridge.Callback("shop-a")),
            await PollingBridge.WatchAsync(_bridge.Shop, "video_shared", callbackUrl: PollingBridge.Callback("shop-b")),
            await PollingBridge.WatchAsync(_bridge.Studio, "video_shared", callbackUrl: PollingBridge.Callback("studio")),
        ];

        var ended = new List<Watch>();
        foreach (var id in watches)
        {
            ended.Add(await _bridge.EndedAsync(id, TimeSpan.FromSeconds(15)));
        }

        var requests = _poe.RequestsFor("video_shared");
        var seconds = (ended.Max(w => w.EndedAt!.Value) - started).TotalSeconds;
        output.WriteLine($"{requests.Count} polls of the shared video in {seconds:F1} s for {watches.Length} watches; poll counts {string.Join(", ", ended.Select(w => w.PollCount))}");
        Assert.All(ended, w => Assert.Equal(WatchStatus.Completed, w.Status));
        // One poll per interval for the video, not one per watch: three watches polled separately would need about 3 per second.
        Assert.InRange(requests.Count, 5, (int)Math.Ceiling(seconds) + 1);
        Assert.All(ended, w => Assert.InRange(w.PollCount, requests.Count - 1, requests.Count));
        foreach (var watch in ended)
        {
            var events = await _bridge.EventsOfAsync(watch.Id);
            var completed = Assert.Single(events);
            Assert.Equal("video.completed", completed.Type);
            Assert.Equal(watch.CallbackUrl, completed.CallbackUrl);
            using var payload = JsonDocument.Parse(completed.Payload);
            Assert.Equal(watch.Id, payload.RootElement.GetProperty("watch").GetProperty("id").GetString());
            Assert.Equal("completed", payload.RootElement.GetProperty("data").GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task A_watch_registered_for_an_already_completed_video_ends_completed_within_two_seconds()
    {
        _poe.Create("video_done", running: TimeSpan.Zero);

        var id = await PollingBridge.WatchAsync(_bridge.Shop, "video_done");
        var watch = await _bridge.EndedAsync(id, TimeSpan.FromSeconds(10));

        var took = watch.EndedAt!.Value - watch.CreatedAt;
        output.WriteLine($"Registered to completed: {took.TotalMilliseconds:F0} ms");
        Assert.Equal(WatchStatus.Completed, watch.Status);
        Assert.True(took <= TimeSpan.FromSeconds(2), $"took {took}");
        Assert.Equal("video.completed", Assert.Single(await _bridge.EventsOfAsync(id)).Type);
    }

    [Fact]
    public async Task A_cancelled_watch_is_no_longer_polled()
    {
        _poe.CreateNeverEnding("video_cancelled");
        var id = await PollingBridge.WatchAsync(_bridge.Shop, "video_cancelled");
        await Eventually.TrueAsync(async () => (await _bridge.ReadWatchAsync(id)).PollCount >= 2, TimeSpan.FromSeconds(10), "two polls");

        using var cancel = await _bridge.Shop.DeleteAsync(new Uri($"/v1/watches/{id}", UriKind.Relative));
        cancel.EnsureSuccessStatusCode();
        var cancelledAt = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(3));

        // A poll claimed just before the cancel may still arrive; nothing is claimed after it.
        var late = _poe.RequestsFor("video_cancelled").Where(r => r.AtMs > cancelledAt.AddSeconds(1.2).ToUnixTimeMilliseconds()).ToList();
        Assert.Empty(late);
        Assert.Equal(WatchStatus.Cancelled, (await _bridge.ReadWatchAsync(id)).Status);
    }

    public sealed class Fixture : SimulatedPoeFixture;
}
