using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Watches;

public sealed class RegisterWatchTests(BridgeFactory bridge) : BridgeTest(bridge)
{
    [Fact]
    public async Task Registering_a_watch_returns_201_with_its_location_and_the_watch_object()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var response = await Shop.PostRawAsync("""
            {"video_id":"video_123","callback_url":"https://app.example/hooks/poe","metadata":{"order":"42"}}
            """);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var watch = await response.ReadJsonAsync();
        var id = watch.GetProperty("id").GetString()!;
        Assert.StartsWith("watch_", id, StringComparison.Ordinal);
        Assert.Equal($"/v1/watches/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("watch", watch.GetProperty("object").GetString());
        Assert.Equal("video_123", watch.GetProperty("video_id").GetString());
        Assert.Equal("https://app.example/hooks/poe", watch.GetProperty("callback_url").GetString());
        Assert.Equal(["video.completed", "video.failed", "watch.failed"], watch.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("42", watch.GetProperty("metadata").GetProperty("order").GetString());
        Assert.Equal("active", watch.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, watch.GetProperty("video").ValueKind);
        Assert.Equal(0, watch.GetProperty("poll_count").GetInt32());
        Assert.Equal(JsonValueKind.Null, watch.GetProperty("last_polled_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, watch.GetProperty("ended_at").ValueKind);
        var createdAt = watch.GetProperty("created_at").GetInt64();
        Assert.InRange(createdAt, before, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.InRange(watch.GetProperty("next_poll_at").GetInt64(), createdAt, createdAt + 2);
        var stored = await Database.QueryAsync(db => db.Watches.AsNoTracking().SingleAsync(w => w.Id == id));
        Assert.Equal(new Dictionary<string, string> { ["order"] = "42" }, stored.Metadata);
        Assert.Equal(createdAt, stored.CreatedAt.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task A_registered_watch_is_in_PostgreSQL_when_the_response_arrives_and_GET_returns_it()
    {
        using var response = await Shop.PostRawAsync("""{"video_id":"video_durable","callback_url":"https://app.example/h","events":["video.progress"]}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.ReadJsonAsync();
        var id = created.GetProperty("id").GetString()!;

        var stored = await Database.QueryAsync(db => db.Watches.AsNoTracking().SingleAsync(w => w.Id == id));
        Assert.Equal("shop", stored.ClientName);
        Assert.Equal("video_durable", stored.VideoId);
        Assert.Equal(["video.progress"], stored.Events);

        var fetched = await Shop.GetJsonAsync(response.Headers.Location!.OriginalString);
        Assert.Equal(id, fetched.GetProperty("id").GetString());
        Assert.Equal(created.GetProperty("created_at").GetInt64(), fetched.GetProperty("created_at").GetInt64());
        Assert.Equal(["video.progress"], fetched.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
    }
}
