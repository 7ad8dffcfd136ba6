using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Poe.WebhookBridge.Tests.Support;
using StandardWebhooks;

namespace Poe.WebhookBridge.Tests.Delivery;

public sealed class TestEventTests(DeliveryBridge fixture) : DeliveryTest(fixture)
{
    [Fact]
    public async Task A_test_event_reaches_the_callback_signed_with_the_clients_secret_and_is_listed_with_its_attempts()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer(WebhookReceiver.Status(500));
        var watchId = await Shop.CreateWatchAsync("video_tested", receiver.Url);

        using var response = await Shop.PostAsync(new Uri($"/v1/watches/{watchId}/test", UriKind.Relative), content: null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var eventId = (await response.ReadJsonAsync()).GetProperty("event_id").GetString();
        var attempts = await receiver.WaitForAsync(2);
        Assert.All(attempts, a => Assert.Equal(eventId, a.Header("webhook-id")));
        new StandardWebhook(Fixture.Shop.SigningSecret).Verify(attempts[1].Body, attempts[1].Headers);
        using var body = JsonDocument.Parse(attempts[1].Body);
        Assert.Equal("watch.test", body.RootElement.GetProperty("type").GetString());
        Assert.Equal(eventId, body.RootElement.GetProperty("id").GetString());
        // Before the first poll there is no video object yet: data is its id and kind only.
        Assert.Equal("""{"id":"video_tested","object":"video"}""", body.RootElement.GetProperty("data").GetRawText());
        Assert.Equal(watchId, body.RootElement.GetProperty("watch").GetProperty("id").GetString());
        var listed = await WaitForEventAsync(watchId, e => Status(e) == "delivered");
        Assert.Equal("watch.test", listed.GetProperty("type").GetString());
        Assert.Equal([500, 204], StatusCodes(listed));
    }

    [Fact]
    public async Task An_ended_watch_can_be_tested_and_the_event_carries_its_last_video_object()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var watchId = await Shop.CreateWatchAsync("video_ended", receiver.Url);
        await StoreEventAsync(watchId);
        await receiver.WaitForAsync(1);
        await Bridge.Database.QueryAsync(async db =>
        {
            var watch = await db.Watches.SingleAsync(w => w.Id == watchId);
            (watch.Status, watch.EndedAt, watch.Video) = ("completed", DateTimeOffset.UtcNow, """{"id":"video_ended","object":"video","status":"completed"}""");
            return await db.SaveChangesAsync();
        });

        using var response = await Shop.PostAsync(new Uri($"/v1/watches/{watchId}/test", UriKind.Relative), content: null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var webhook = (await receiver.WaitForAsync(2))[1];
        new StandardWebhook(Fixture.Shop.SigningSecret).Verify(webhook.Body, webhook.Headers);
        using var body = JsonDocument.Parse(webhook.Body);
        Assert.Equal("completed", body.RootElement.GetProperty("data").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Another_clients_or_an_unknown_watch_cannot_be_tested()
    {
        var watchId = await Shop.CreateWatchAsync("video_private_test");
        using var rotating = Bridge.ClientFor(Fixture.Rotating);

        using var other = await rotating.PostAsync(new Uri($"/v1/watches/{watchId}/test", UriKind.Relative), content: null);
        using var unknown = await Shop.PostAsync(new Uri("/v1/watches/watch_unknown/test", UriKind.Relative), content: null);

        await other.AssertProblemAsync(HttpStatusCode.NotFound);
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
