using System.Text.Json;
using Poe.Simulator;
using Poe.WebhookBridge.Tests.Support;
using Poe.WebhookBridge.Watches;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>SPEC §3: a 404 is tolerated until <c>Polling:NotFoundGracePeriod</c> has passed since the watch was created.</summary>
public sealed class NotFoundTests(NotFoundTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<NotFoundTests.Fixture>
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(3);
    private readonly InProcessSimulator _poe = fixture.Poe;
    private readonly PollingBridge _bridge = fixture.Bridge;

    [Fact]
    public async Task A_video_Poe_never_finds_fails_the_watch_as_video_not_found_once_the_grace_period_has_passed()
    {
        var id = await PollingBridge.WatchAsync(_bridge.Shop, "video_missing");

        var watch = await _bridge.EndedAsync(id, TimeSpan.FromSeconds(15));

        var requests = _poe.RequestsFor("video_missing");
        output.WriteLine($"failed {(watch.EndedAt!.Value - watch.CreatedAt).TotalMilliseconds:F0} ms after registration, after {requests.Count} polls");
        Assert.Equal(WatchStatus.Failed, watch.Status);
        Assert.Equal("video_not_found", watch.FailureReason);
        Assert.InRange(watch.EndedAt!.Value - watch.CreatedAt, Grace, Grace + TimeSpan.FromSeconds(2));
        Assert.True(requests.Count >= 3, $"only {requests.Count} polls within the grace period");
        Assert.All(requests, r => Assert.Equal(404, r.Status));
        var failed = Assert.Single(await _bridge.EventsOfAsync(id));
        Assert.Equal("watch.failed", failed.Type);
        using var payload = JsonDocument.Parse(failed.Payload);
        Assert.Equal("video_not_found", payload.RootElement.GetProperty("watch").GetProperty("failure").GetProperty("reason").GetString());
        var data = payload.RootElement.GetProperty("data");
        Assert.Equal("video_missing", data.GetProperty("id").GetString());
        Assert.Equal("video", data.GetProperty("object").GetString());

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(requests.Count, _poe.RequestsFor("video_missing").Count);
    }

    [Fact]
    public async Task A_video_that_appears_within_the_grace_period_is_followed_to_its_end()
    {
        var id = await PollingBridge.WatchAsync(_bridge.Shop, "video_appearing");
        await Eventually.TrueAsync(() => Task.FromResult(_poe.RequestsFor("video_appearing").Count >= 2), TimeSpan.FromSeconds(5), "two 404s");

        _poe.Create("video_appearing", running: TimeSpan.FromSeconds(2));
        var watch = await _bridge.EndedAsync(id, TimeSpan.FromSeconds(15));

        var statuses = _poe.RequestsFor("video_appearing").Select(r => r.Status).ToList();
        output.WriteLine($"answers: {string.Join(' ', statuses)}; ended {(watch.EndedAt!.Value - watch.CreatedAt).TotalMilliseconds:F0} ms after registration");
        Assert.Equal(WatchStatus.Completed, watch.Status);
        Assert.Null(watch.FailureReason);
        Assert.Equal([404, 404], statuses.Take(2));
        Assert.Equal(["video.completed"], (await _bridge.EventsOfAsync(id)).Select(e => e.Type));
    }

    public sealed class Fixture : SimulatedPoeFixture
    {
        protected override (string Key, string? Value)[] Settings => [("Polling:NotFoundGracePeriod", "00:00:03")];
    }
}
