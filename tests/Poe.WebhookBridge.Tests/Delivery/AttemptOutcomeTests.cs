using System.Text.Json;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Delivery;

public sealed class AttemptOutcomeTests(DeliveryBridge fixture) : DeliveryTest(fixture)
{
    [Fact]
    public async Task Gone_stops_the_retries_and_cancels_the_watch()
    {
        await using var receiver = await WebhookReceiver.StartAsync(answer: WebhookReceiver.Status(410));
        var watchId = await Shop.CreateWatchAsync("video_gone", receiver.Url);

        await StoreEventAsync(watchId, "video.progress");
        var failed = await WaitForEventAsync(watchId, e => Status(e) == "failed");

        Assert.Equal([410], StatusCodes(failed));
        var watch = await Shop.GetJsonAsync($"/v1/watches/{watchId}");
        Assert.Equal("cancelled", watch.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, watch.GetProperty("ended_at").ValueKind);
        await Task.Delay(DeliveryBridge.RetryStep * 4);
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_counts_as_a_failed_attempt()
    {
        await using var elsewhere = await WebhookReceiver.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer(WebhookReceiver.Status(302, ("Location", elsewhere.Url)));
        var watchId = await Shop.CreateWatchAsync("video_redirect", receiver.Url);

        await StoreEventAsync(watchId);
        var delivered = await WaitForEventAsync(watchId, e => Status(e) == "delivered");

        Assert.Equal([302, 204], StatusCodes(delivered));
        Assert.Contains("redirects are not followed", delivered.GetProperty("delivery").GetProperty("attempts")[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, receiver.Received.Count);
        Assert.Empty(elsewhere.Received);
    }

    [Fact]
    public async Task An_attempt_without_an_answer_within_the_timeout_is_recorded_as_timed_out_and_retried()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer(WebhookReceiver.Hang);
        var watchId = await Shop.CreateWatchAsync("video_slow", receiver.Url);

        await StoreEventAsync(watchId);
        var delivered = await WaitForEventAsync(watchId, e => Status(e) == "delivered");

        Assert.Equal([0, 204], StatusCodes(delivered));
        var timedOut = delivered.GetProperty("delivery").GetProperty("attempts")[0];
        Assert.Equal(JsonValueKind.Null, timedOut.GetProperty("status_code").ValueKind);
        Assert.Equal("no response within 2 s.", timedOut.GetProperty("error").GetString());
        Assert.InRange(timedOut.GetProperty("duration_ms").GetInt32(), 1900, 5000);
    }

    [Fact]
    public async Task A_refused_connection_is_recorded_as_a_connection_error()
    {
        var watchId = await Shop.CreateWatchAsync("video_nobody", $"http://127.0.0.1:{BridgeSettings.RefusingLoopbackPort}/hooks");

        await StoreEventAsync(watchId);
        var failing = await WaitForEventAsync(watchId, e => StatusCodes(e).Length >= 1);

        var attempt = failing.GetProperty("delivery").GetProperty("attempts")[0];
        Assert.Equal(JsonValueKind.Null, attempt.GetProperty("status_code").ValueKind);
        Assert.Contains("refused", attempt.GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);
    }
}
