using Microsoft.EntityFrameworkCore;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Poe.WebhookBridge.Client;
using Poe.WebhookBridge.Client.Models;
using Poe.WebhookBridge.Tests.Delivery;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Operations.OpenApi;

/// <summary>
/// A consumer's code, typed by the Kiota client generated from the served document (src/Poe.WebhookBridge.Client),
/// drives the whole API over HTTP; the contract check judges every answer it gets on the way.
/// </summary>
public sealed class GeneratedClientTests(BridgeFactory bridge) : BridgeTest(bridge)
{
    [Fact]
    public async Task The_generated_client_creates_gets_lists_by_cursor_reads_events_redelivers_and_cancels()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var shop = ClientOver(Shop);

        var created = await shop.V1.Watches.PostAsync(new CreateWatchRequest
        {
            VideoId = "video_typed_1",
            CallbackUrl = receiver.Url,
            Metadata = new CreateWatchRequest_metadata { AdditionalData = { ["order"] = "42" } },
        });
        await shop.V1.Watches.PostAsync(new CreateWatchRequest { VideoId = "video_typed_2", CallbackUrl = receiver.Url });
        await shop.V1.Watches.PostAsync(new CreateWatchRequest { VideoId = "video_typed_3", CallbackUrl = receiver.Url });

        int pollCount = created!.PollCount!.Value;
        Assert.Equal(0, pollCount);
        Assert.Null(created.Video);
        Assert.Equal(WatchResponse_status.Active, created.Status);
        Assert.Equal("42", created.Metadata!.AdditionalData["order"]);

        // Poe's answer as polling stores it: the client reads the video as an object, Poe's unknown fields kept.
        await Database.QueryAsync(db => db.Watches.Where(w => w.Id == created.Id).ExecuteUpdateAsync(w => w.SetProperty(
            x => x.Video, """{"id":"video_typed_1","object":"video","status":"completed","progress":100,"created_at":1764440001,"seconds":"8","future_field":[1,2]}""")));
        var fetched = await shop.V1.Watches[created.Id].GetAsync();
        Assert.Equal(PoeVideoObject_status.Completed, fetched!.Video!.Status);
        Assert.Equal(100, fetched.Video.Progress);
        Assert.True(fetched.Video.AdditionalData.ContainsKey("future_field"));

        var first = await shop.V1.Watches.GetAsync(r => r.QueryParameters.Limit = 2);
        var second = await shop.V1.Watches.GetAsync(r => { r.QueryParameters.Limit = 2; r.QueryParameters.After = first!.LastId; });
        Assert.True(first!.HasMore);
        Assert.False(second!.HasMore);
        Assert.Equal(["video_typed_3", "video_typed_2", "video_typed_1"], first.Data!.Concat(second.Data!).Select(w => w.VideoId));

        var eventId = await DeliveryBridge.StoreEventAsync(Bridge, created.Id!);
        await receiver.WaitForAsync(1);
        var delivered = await Eventually.ValueAsync(
            async () => (await shop.V1.Watches[created.Id].Events.GetAsync())!.Data!.SingleOrDefault(e => e.Delivery!.Status == EventDelivery_status.Delivered),
            TimeSpan.FromSeconds(15), "the event listed as delivered");
        Assert.Equal(eventId, delivered.Id);
        Assert.Equal(EventResponse_type.VideoCompleted, delivered.Type);

        var redelivery = await shop.V1.Events[eventId].Redeliver.PostAsync();
        Assert.Equal(eventId, redelivery!.Id);
        await receiver.WaitForAsync(2);

        var cancelled = await shop.V1.Watches[created.Id].DeleteAsync();
        Assert.Equal(WatchResponse_status.Cancelled, cancelled!.Status);
        Assert.NotNull(cancelled.EndedAt);

        // Another client's id is not found, and the generated client raises the problem as a typed exception.
        var problem = await Assert.ThrowsAsync<ProblemDetails>(() => ClientOver(Studio).V1.Watches[created.Id].GetAsync());
        Assert.Equal(404, problem.Status);
    }

    /// <summary>The generated client over the test bridge's HTTP client (which carries that app's bearer key).</summary>
    private static BridgeClient ClientOver(HttpClient http) =>
        new(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = http.BaseAddress!.AbsoluteUri.TrimEnd('/') });
}
