using System.Net;
using Microsoft.EntityFrameworkCore;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Watches;

public sealed class IdempotencyTests(BridgeFactory bridge) : BridgeTest(bridge)
{
    [Fact]
    public async Task Repeating_a_request_with_its_Idempotency_Key_replays_the_original_answer_byte_for_byte()
    {
        using var first = await Shop.RegisterAsync("video_idem", idempotencyKey: "order-42");
        using var repeat = await Shop.RegisterAsync("video_idem", idempotencyKey: "order-42");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, repeat.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await repeat.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, repeat.Headers.Location);
        Assert.Equal("application/json", repeat.Content.Headers.ContentType?.MediaType);
        Assert.Equal("true", Assert.Single(repeat.Headers.GetValues("Idempotent-Replayed")));
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await Database.QueryAsync(db => db.Watches.CountAsync()));
    }

    [Fact]
    public async Task An_Idempotency_Key_is_scoped_to_the_client()
    {
        using var shop = await Shop.RegisterAsync("video_shared_key", idempotencyKey: "same-key");
        using var studio = await Studio.RegisterAsync("video_other", idempotencyKey: "same-key");

        Assert.Equal(HttpStatusCode.Created, shop.StatusCode);
        Assert.Equal(HttpStatusCode.Created, studio.StatusCode);
        Assert.False(studio.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, await Database.QueryAsync(db => db.Watches.CountAsync()));
    }

    [Fact]
    public async Task Concurrent_identical_requests_with_one_Idempotency_Key_create_one_watch()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Shop.RegisterAsync("video_race", idempotencyKey: "race-key")));

        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single(bodies.Distinct());
        Assert.Equal(1, await Database.QueryAsync(db => db.Watches.CountAsync()));
        Assert.Equal(1, await Database.QueryAsync(db => db.IdempotencyRecords.CountAsync()));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}
