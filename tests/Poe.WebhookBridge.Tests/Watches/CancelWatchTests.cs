using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Watches;

public sealed class CancelWatchTests(BridgeFactory bridge) : BridgeTest(bridge)
{
    [Fact]
    public async Task Deleting_a_watch_cancels_it_and_stores_when_it_ended()
    {
        var id = await Shop.CreateWatchAsync("video_cancel");

        using var response = await Shop.DeleteAsync(new Uri($"/v1/watches/{id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var watch = await response.ReadJsonAsync();
        Assert.Equal(id, watch.GetProperty("id").GetString());
        Assert.Equal("cancelled", watch.GetProperty("status").GetString());
        Assert.InRange(watch.GetProperty("ended_at").GetInt64(), watch.GetProperty("created_at").GetInt64(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal(JsonValueKind.Null, watch.GetProperty("next_poll_at").ValueKind);
        var stored = await Database.QueryAsync(db => db.Watches.AsNoTracking().SingleAsync(w => w.Id == id));
        Assert.Equal("cancelled", stored.Status);
        Assert.NotNull(stored.EndedAt);
        Assert.Equal("cancelled", (await Shop.GetJsonAsync($"/v1/watches/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Deleting_a_cancelled_watch_again_returns_the_same_watch()
    {
        var id = await Shop.CreateWatchAsync("video_cancel_twice");
        using var first = await Shop.DeleteAsync(new Uri($"/v1/watches/{id}", UriKind.Relative));
        var endedAt = await Database.QueryAsync(db => db.Watches.Where(w => w.Id == id).Select(w => w.EndedAt).SingleAsync());

        using var second = await Shop.DeleteAsync(new Uri($"/v1/watches/{id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(endedAt, await Database.QueryAsync(db => db.Watches.Where(w => w.Id == id).Select(w => w.EndedAt).SingleAsync()));
    }

    [Fact]
    public async Task A_new_watch_has_no_events()
    {
        var id = await Shop.CreateWatchAsync("video_no_events");

        var events = await Shop.GetJsonAsync($"/v1/watches/{id}/events");

        Assert.Equal("list", events.GetProperty("object").GetString());
        Assert.Empty(events.GetProperty("data").EnumerateArray());
        Assert.False(events.GetProperty("has_more").GetBoolean());
    }
}
