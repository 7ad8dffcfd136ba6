using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Poe.Simulator;
using Poe.Simulator.Videos;
using Poe.WebhookBridge.Tests.Support;
using StandardWebhooks;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.Tests.Delivery;

/// <summary>The whole path on the running service: the Poe simulator, polling, the outbox, a real consumer.</summary>
[Collection(AloneCollectionDefinition.Name)]
public sealed class EndToEndTests(ITestOutputHelper output)
{
    private static readonly TimeSpan QuickPolling = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_video_completing_at_Poe_reaches_the_consumer_once_as_a_video_completed_webhook_the_StandardWebhooks_verifier_accepts()
    {
        await using var poe = await InProcessSimulator.StartAsync();
        await using var bridge = await StartBridgeAsync(poe, ("Polling:Interval", QuickPolling.ToString()));
        await using var receiver = await WebhookReceiver.StartAsync();
        var video = poe.Create("video_e2e_one", running: TimeSpan.FromSeconds(1.5));
        using var shop = bridge.Factory.ClientFor(bridge.Shop);

        var watchId = await shop.CreateWatchAsync(video.Id, receiver.Url);
        var webhook = (await receiver.WaitForAsync(1, TimeSpan.FromSeconds(20)))[0];

        new StandardWebhook(bridge.Shop.SigningSecret).Verify(webhook.Body, webhook.Headers);
        using var body = JsonDocument.Parse(webhook.Body);
        var root = body.RootElement;
        Assert.Equal("video.completed", root.GetProperty("type").GetString());
        Assert.Equal(webhook.Header("webhook-id"), root.GetProperty("id").GetString());
        Assert.Equal(video.Id, root.GetProperty("data").GetProperty("id").GetString());
        Assert.Equal("completed", root.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal(100, root.GetProperty("data").GetProperty("progress").GetInt32());
        Assert.Equal(watchId, root.GetProperty("watch").GetProperty("id").GetString());

        var events = await shop.GetJsonAsync($"/v1/watches/{watchId}/events");
        Assert.Equal(webhook.Header("webhook-id"), events.GetProperty("data")[0].GetProperty("id").GetString());
        await Task.Delay(QuickPolling * 2);
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task Over_200_watches_the_webhook_arrives_within_the_polling_interval_plus_one_second_of_the_terminal_status_at_Poe_p99()
    {
        const int Watches = 200;
        var spread = TimeSpan.FromSeconds(10);
        // The default interval (5 s), as a deployment runs: 200 watches then need 2,400 Poe requests a minute.
        var interval = TimeSpan.FromSeconds(5);
        await using var poe = await InProcessSimulator.StartAsync(o => o.RequestsPerMinute = 100_000);
        await using var bridge = await StartBridgeAsync(poe, ("Poe:RequestsPerMinute", "20000"), ("Polling:Interval", interval.ToString()));
        await using var receiver = await WebhookReceiver.StartAsync();
        using var shop = bridge.Factory.ClientFor(bridge.Shop);
        var videos = Enumerable.Range(0, Watches).Select(i => poe.CreateNeverEnding($"video_e2e_{i:000}")).ToList();
        var watchOf = new Dictionary<string, string>();
        foreach (var video in videos)
        {
            watchOf[video.Id] = await shop.CreateWatchAsync(video.Id, receiver.Url);
        }

        // Each video turns terminal at a random moment of the next 10 s, a fifth of them as failed.
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var plan = videos.Select(v => (Video: v, Offset: spread * random.NextDouble(), Failed: random.Next(5) == 0)).OrderBy(p => p.Offset).ToList();
        var terminalAt = new Dictionary<string, DateTimeOffset>();
        var start = DateTimeOffset.UtcNow;
        foreach (var (video, offset, failed) in plan)
        {
            if (start + offset - DateTimeOffset.UtcNow is { } wait && wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var now = DateTimeOffset.UtcNow;
            video.Force(failed ? VideoOutcome.Failed : VideoOutcome.Completed, now);
            terminalAt[video.Id] = now;
        }

        var received = await receiver.WaitForAsync(Watches, interval + TimeSpan.FromSeconds(30));

        var byVideo = received.ToDictionary(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("data").GetProperty("id").GetString()!);
        Assert.Equal(Watches, byVideo.Count);
        var latencies = plan.Select(p => byVideo[p.Video.Id].ReceivedAt - terminalAt[p.Video.Id]).Order().ToList();
        var p99 = Percentile(latencies, 99);
        var stored = await bridge.Factory.Database.QueryAsync(db => db.WebhookEvents.AsNoTracking().ToDictionaryAsync(e => e.Id, e => e.CreatedAt));
        var deliveryOnly = received.Select(r => r.ReceivedAt - stored[r.Header("webhook-id")]).Order().ToList();
        output.WriteLine($"seed {seed}; terminal at Poe → webhook received: {Summary(latencies)}");
        output.WriteLine($"terminal status stored → webhook received:     {Summary(deliveryOnly)}");
        foreach (var (video, _, failed) in plan)
        {
            var type = JsonDocument.Parse(byVideo[video.Id].Body).RootElement.GetProperty("type").GetString();
            Assert.Equal(failed ? "video.failed" : "video.completed", type);
        }

        Assert.True(p99 <= interval + TimeSpan.FromSeconds(1), $"p99 {p99.TotalMilliseconds:F0} ms");
    }

    private static TimeSpan Percentile(List<TimeSpan> sorted, int p) => sorted[Math.Max(0, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];

    private static string Summary(List<TimeSpan> sorted) =>
        $"p50 {Percentile(sorted, 50).TotalMilliseconds:F0} ms, p99 {Percentile(sorted, 99).TotalMilliseconds:F0} ms, max {sorted[^1].TotalMilliseconds:F0} ms";

    private static async Task<OwnBridge> StartBridgeAsync(InProcessSimulator poe, params (string Key, string? Value)[] changes)
    {
        var shop = TestClient.Generate("shop");
        var connectionString = await PostgresServer.CreateDatabaseAsync("delivery_e2e");
        var settings = BridgeSettings.For(connectionString, shop);
        settings["Poe:BaseUrl"] = poe.BaseUrl.AbsoluteUri;
        foreach (var (key, value) in changes)
        {
            settings[key] = value;
        }

        var factory = BridgeFactory.FromSettings(settings);
        _ = factory.Services;
        return new OwnBridge(factory, shop, connectionString);
    }

    private sealed record OwnBridge(BridgeFactory Factory, TestClient Shop, string ConnectionString) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Factory.DisposeAsync();
            await PostgresServer.DropDatabaseAsync(ConnectionString);
        }
    }
}
