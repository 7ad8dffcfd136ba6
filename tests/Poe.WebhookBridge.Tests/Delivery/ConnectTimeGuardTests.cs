using Microsoft.Extensions.DependencyInjection;
using Poe.WebhookBridge.Clients;
using Poe.WebhookBridge.Infrastructure;
using Poe.WebhookBridge.Tests.Support;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Tests.Delivery;

/// <summary>A production-like bridge (private networks refused) alone on its own database.</summary>
public sealed class StrictDeliveryBridge : IAsyncLifetime
{
    private string? _connectionString;

    public BridgeFactory Bridge { get; private set; } = null!;

    public TestClient Shop { get; } = TestClient.Generate("shop");

    public async Task InitializeAsync()
    {
        _connectionString = await PostgresServer.CreateDatabaseAsync("delivery_strict");
        var settings = BridgeSettings.For(_connectionString, Shop);
        settings["Webhooks:AllowPrivateNetworks"] = "false";
        DeliveryBridge.UseShortSchedule(settings, TimeSpan.FromMilliseconds(100));
        Bridge = BridgeFactory.FromSettings(settings);
        _ = Bridge.Services;
    }

    public async Task DisposeAsync()
    {
        await Bridge.DisposeAsync();
        if (_connectionString is not null)
        {
            await PostgresServer.DropDatabaseAsync(_connectionString);
        }
    }
}

/// <summary>
/// The second half of the SSRF defence: a callback accepted at registration (when its name resolved to a public
/// address) is checked again against the address it resolves to when the webhook is sent.
/// </summary>
[Collection(DeliveryCollectionDefinition.Name)]
public sealed class ConnectTimeGuardTests(StrictDeliveryBridge strict) : IClassFixture<StrictDeliveryBridge>, IAsyncLifetime
{
    private BridgeFactory Bridge => strict.Bridge;

    public Task InitializeAsync() => Bridge.Database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::ffff:127.0.0.1]")]
    public async Task A_callback_that_now_resolves_to_a_loopback_address_is_never_contacted_and_the_refusal_is_recorded(string host)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var watchId = await InsertWatchAsync($"http://{host}:{receiver.Port}/hooks/poe");

        await DeliveryBridge.StoreEventAsync(Bridge, watchId);
        var failed = await WaitForDeadEventAsync(watchId);

        Assert.Empty(receiver.Received);
        var attempts = failed.GetProperty("delivery").GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal(DeliveryBridge.ScheduleLength + 1, attempts.Count);
        Assert.All(attempts, a => Assert.StartsWith("refused: ", a.GetProperty("error").GetString(), StringComparison.Ordinal));
        Assert.All(attempts, a => Assert.Contains("non-public address", a.GetProperty("error").GetString(), StringComparison.Ordinal));
        await Task.Delay(500);
        Assert.Empty(receiver.Received);
    }

    /// <summary>Stands for a watch registered while its host still resolved publicly: the API would refuse it today.</summary>
    private async Task<string> InsertWatchAsync(string callbackUrl)
    {
        var client = Bridge.Services.GetRequiredService<ClientRegistry>().FindByName(strict.Shop.Name)!;
        var watch = new Watch
        {
            Id = Ids.NewWatchId(),
            ClientName = client.Name,
            VideoId = "video_rebound",
            CallbackUrl = callbackUrl,
            PoeKeyId = client.PoeKeyId,
            Events = [.. WatchEventTypes.Default],
            Metadata = [],
            CreatedAt = DateTimeOffset.UtcNow,
        };
        await Bridge.Database.QueryAsync(async db =>
        {
            db.Watches.Add(watch);
            return await db.SaveChangesAsync();
        });
        return watch.Id;
    }

    private async Task<System.Text.Json.JsonElement> WaitForDeadEventAsync(string watchId)
    {
        using var shop = Bridge.ClientFor(strict.Shop);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(15);
        while (true)
        {
            var list = await shop.GetJsonAsync($"/v1/watches/{watchId}/events");
            var first = list.GetProperty("data")[0];
            if (first.GetProperty("delivery").GetProperty("status").GetString() == "failed")
            {
                return first;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"never failed: {list}");
            await Task.Delay(50);
        }
    }
}
