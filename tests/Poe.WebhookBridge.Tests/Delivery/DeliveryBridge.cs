using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Delivery;

/// <summary>
/// A bridge alone on its own database (so no other instance claims its events), with a retry schedule of 0.2 s steps
/// and a 2 s time-out so whole schedules run in seconds. <c>rotating</c> is a client in the middle of a secret rotation.
/// </summary>
public sealed class DeliveryBridge : IAsyncLifetime
{
    public static readonly TimeSpan RetryStep = TimeSpan.FromMilliseconds(200);

    /// <summary>As many steps as the default schedule: configuration arrays merge by index, so a shorter one would keep the default's tail.</summary>
    public static readonly int ScheduleLength = Poe.WebhookBridge.Delivery.WebhooksOptions.DefaultRetrySchedule.Count;

    private string? _connectionString;

    public BridgeFactory Bridge { get; private set; } = null!;

    public TestClient Shop { get; } = TestClient.Generate("shop");

    public TestClient Rotating { get; } = TestClient.Generate("rotating");

    public string RotatingPreviousSecret { get; } = TestClient.NewSigningSecret();

    /// <summary>How long an attempt on a consumer that never answers holds its slot.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);

    public async Task InitializeAsync()
    {
        _connectionString = await PostgresServer.CreateDatabaseAsync("delivery");
        var settings = BridgeSettings.For(_connectionString, Shop, Rotating);
        settings["Clients:rotating:PreviousSigningSecret"] = RotatingPreviousSecret;
        settings["Webhooks:Timeout"] = AttemptTimeout.ToString();
        UseShortSchedule(settings, RetryStep);
        Bridge = BridgeFactory.FromSettings(settings);
        await WarmUpAsync(Bridge);
    }

    public async Task DisposeAsync()
    {
        await Bridge.DisposeAsync();
        if (_connectionString is not null)
        {
            await PostgresServer.DropDatabaseAsync(_connectionString);
        }
    }

    public static void UseShortSchedule(IDictionary<string, string?> settings, TimeSpan step)
    {
        for (var i = 0; i < ScheduleLength; i++)
        {
            settings[$"Webhooks:RetrySchedule:{i}"] = step.ToString();
        }
    }

    /// <summary>
    /// Stores a terminal event for the watch the way polling does (the app's own <see cref="WebhookEvents.Create"/>,
    /// committed, then a wake-up) and returns its id.
    /// </summary>
    public static async Task<string> StoreEventAsync(BridgeFactory bridge, string watchId, string type = "video.completed")
    {
        var id = await bridge.Database.QueryAsync(async db =>
        {
            var watch = await db.Watches.SingleAsync(w => w.Id == watchId);
            var video = JsonSerializer.Serialize(new { id = watch.VideoId, @object = "video", status = "completed", progress = 100, future_field = new[] { 1, 2 } });
            var webhook = WebhookEvents.Create(watch, type, DateTimeOffset.UtcNow, video);
            db.WebhookEvents.Add(webhook);
            await db.SaveChangesAsync();
            return webhook.Id;
        });
        bridge.Services.GetRequiredService<DeliveryDispatcher>().Wake();
        return id;
    }

    /// <summary>One delivery before any test, so the first test measures a running pump rather than start-up and JIT.</summary>
    private async Task WarmUpAsync(BridgeFactory bridge)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var shop = bridge.ClientFor(Shop);
        var watchId = await shop.CreateWatchAsync("warm_up_video", receiver.Url);
        await StoreEventAsync(bridge, watchId);
        await receiver.WaitForAsync(1, TimeSpan.FromSeconds(30));
        await bridge.Database.ResetAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class DeliveryCollectionDefinition : ICollectionFixture<DeliveryBridge>
{
    public const string Name = "delivery";
}

/// <summary>A delivery test: the database is emptied before each test.</summary>
[Collection(DeliveryCollectionDefinition.Name)]
public abstract class DeliveryTest(DeliveryBridge fixture) : IAsyncLifetime
{
    protected DeliveryBridge Fixture { get; } = fixture;

    protected BridgeFactory Bridge => Fixture.Bridge;

    protected HttpClient Shop { get; } = fixture.Bridge.ClientFor(fixture.Shop);

    public virtual Task InitializeAsync() => Bridge.Database.ResetAsync();

    public virtual Task DisposeAsync()
    {
        Shop.Dispose();
        Bridge.Contract.AssertNone();
        return Task.CompletedTask;
    }

    protected Task<string> StoreEventAsync(string watchId, string type = "video.completed") => DeliveryBridge.StoreEventAsync(Bridge, watchId, type);

    /// <summary>Polls <c>GET /v1/watches/{id}/events</c> until the predicate holds for the first event.</summary>
    protected async Task<JsonElement> WaitForEventAsync(string watchId, Func<JsonElement, bool> until, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var list = await Shop.GetJsonAsync($"/v1/watches/{watchId}/events");
            var events = list.GetProperty("data");
            if (events.GetArrayLength() > 0 && until(events[0]))
            {
                return events[0];
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"The event of {watchId} never reached the expected state: {list}");
            await Task.Delay(50);
        }
    }

    /// <summary>Checks every 50 ms until the probe returns a value.</summary>
    protected static async Task<T> UntilAsync<T>(Func<T?> probe, string what, TimeSpan? timeout = null)
        where T : class
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }

    protected static int[] StatusCodes(JsonElement webhookEvent) =>
        [.. webhookEvent.GetProperty("delivery").GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("status_code").ValueKind == JsonValueKind.Null ? 0 : a.GetProperty("status_code").GetInt32())];

    protected static string Status(JsonElement webhookEvent) => webhookEvent.GetProperty("delivery").GetProperty("status").GetString()!;
}
