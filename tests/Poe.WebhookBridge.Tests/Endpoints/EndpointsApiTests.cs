using System.Net;
using System.Text.Json;
using Poe.WebhookBridge.Tests.Delivery;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Endpoints;

public sealed class EndpointsApiTests(DeliveryBridge fixture) : DeliveryTest(fixture)
{
    [Fact]
    public async Task Each_callback_origin_is_an_endpoint_with_exact_counts_and_only_its_client_sees_it()
    {
        await using var healthy = await WebhookReceiver.StartAsync();
        await using var dead = await WebhookReceiver.StartAsync(answer: WebhookReceiver.Status(500));
        var healthyWatch = await Shop.CreateWatchAsync("video_healthy_endpoint", healthy.Url);
        var sameOrigin = await Shop.CreateWatchAsync("video_same_origin", healthy.Url.Replace("/hooks/poe", "/other/path", StringComparison.Ordinal));
        var deadWatch = await Shop.CreateWatchAsync("video_dead_endpoint", dead.Url);
        await StoreEventAsync(healthyWatch);
        await StoreEventAsync(healthyWatch);
        await StoreEventAsync(sameOrigin);
        await StoreEventAsync(deadWatch);
        await WaitForEventAsync(deadWatch, e => Status(e) == "failed");
        await healthy.WaitForAsync(3);

        JsonElement list = default;
        await Eventually.TrueAsync(async () => (list = await Shop.GetJsonAsync("/v1/endpoints")).GetProperty("data").EnumerateArray()
            .Sum(e => e.GetProperty("delivered_last_24h").GetInt64() + e.GetProperty("failed_last_24h").GetInt64()) == 3 + DeliveryBridge.ScheduleLength + 1,
            TimeSpan.FromSeconds(10), "every attempt to be counted");

        Assert.Equal("list", list.GetProperty("object").GetString());
        var endpoints = list.GetProperty("data").EnumerateArray().ToDictionary(e => e.GetProperty("url").GetString()!);
        // One endpoint per origin: the two paths on the healthy receiver share one.
        Assert.Equal(new[] { $"http://127.0.0.1:{healthy.Port}", $"http://127.0.0.1:{dead.Port}" }.Order(StringComparer.Ordinal), endpoints.Keys.Order(StringComparer.Ordinal));
        var up = endpoints[$"http://127.0.0.1:{healthy.Port}"];
        Assert.StartsWith("ep_", up.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("enabled", up.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, up.GetProperty("failing_since").ValueKind);
        Assert.True(up.GetProperty("last_success_at").GetInt64() > 0);
        Assert.Equal((0, 0, 3, 0), Counts(up));
        var down = endpoints[$"http://127.0.0.1:{dead.Port}"];
        Assert.Equal("enabled", down.GetProperty("status").GetString());
        Assert.True(down.GetProperty("failing_since").GetInt64() > 0);
        Assert.Equal(JsonValueKind.Null, down.GetProperty("last_success_at").ValueKind);
        Assert.Equal((0, 1, 0, DeliveryBridge.ScheduleLength + 1), Counts(down));

        var id = up.GetProperty("id").GetString()!;
        Assert.Equal(up.GetRawText(), (await Shop.GetJsonAsync($"/v1/endpoints/{id}")).GetRawText());
        using var rotating = Bridge.ClientFor(Fixture.Rotating);
        Assert.Equal(0, (await rotating.GetJsonAsync("/v1/endpoints")).GetProperty("data").GetArrayLength());
        using (var other = await rotating.GetAsync(new Uri($"/v1/endpoints/{id}", UriKind.Relative)))
        {
            await other.AssertProblemAsync(HttpStatusCode.NotFound);
        }

        using var otherEnable = await rotating.PostAsync(new Uri($"/v1/endpoints/{id}/enable", UriKind.Relative), content: null);
        await otherEnable.AssertProblemAsync(HttpStatusCode.NotFound);
        using var unknown = await Shop.GetAsync(new Uri("/v1/endpoints/ep_unknown", UriKind.Relative));
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    private static (long Pending, long Failed, long Delivered24h, long Failed24h) Counts(JsonElement endpoint) => (
        endpoint.GetProperty("pending").GetInt64(), endpoint.GetProperty("failed").GetInt64(),
        endpoint.GetProperty("delivered_last_24h").GetInt64(), endpoint.GetProperty("failed_last_24h").GetInt64());
}
