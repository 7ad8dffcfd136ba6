using System.Text.Json;
using Poe.WebhookBridge.Tests.Support;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>SPEC §3: fields Poe adds later are kept — the stored and delivered video object is the JSON Poe returned.</summary>
public sealed class VideoObjectTests
{
    [Fact]
    public async Task Fields_Poe_adds_later_are_kept_in_the_stored_video_and_in_the_webhook()
    {
        await using var poe = await FakePoe.StartAsync();
        await using var bridge = await PollingBridge.StartAsync(poe.BaseUrl);
        var running = PoeAnswer.Video("video_extra", "in_progress", 40, "\"thumbnail\":{\"url\":\"https://cdn.example/t.jpg\",\"sizes\":[64,128]},\"quality\":0.75");
        var completed = PoeAnswer.Video("video_extra", "completed", 100, "\"download\":{\"mp4\":\"https://cdn.example/v.mp4\"},\"quality\":0.75,\"flags\":[\"hdr\"]");
        poe.Script("video_extra", running, running, completed);

        var id = await PollingBridge.WatchAsync(bridge.Shop, "video_extra");
        var whileRunning = await Eventually.ValueAsync(
            async () => (await bridge.ReadWatchAsync(id)).Video, TimeSpan.FromSeconds(5), "the running video to be stored");
        var watch = await bridge.EndedAsync(id, TimeSpan.FromSeconds(10));

        using (var poeSentRunning = JsonDocument.Parse(running.Body))
        using (var storedRunning = JsonDocument.Parse(whileRunning))
        {
            Assert.True(JsonElement.DeepEquals(poeSentRunning.RootElement, storedRunning.RootElement), $"stored {whileRunning}");
        }

        Assert.Equal(WatchStatus.Completed, watch.Status);
        using var poeSent = JsonDocument.Parse(completed.Body);
        using var stored = JsonDocument.Parse(watch.Video!);
        Assert.True(JsonElement.DeepEquals(poeSent.RootElement, stored.RootElement), $"stored {watch.Video}");
        var api = await bridge.Shop.GetJsonAsync($"/v1/watches/{id}");
        Assert.True(JsonElement.DeepEquals(poeSent.RootElement, api.GetProperty("video")), $"API {api.GetProperty("video")}");
        var terminal = Assert.Single(await bridge.EventsOfAsync(id));
        using var payload = JsonDocument.Parse(terminal.Payload);
        // The webhook carries Poe's bytes as they came.
        Assert.Equal(completed.Body, payload.RootElement.GetProperty("data").GetRawText());
    }
}
