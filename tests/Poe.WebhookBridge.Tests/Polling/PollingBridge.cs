using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Tests.Support;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>
/// A bridge (one or more instances) on its own fresh database, polling a Poe on loopback. Polling tests each start
/// their own, because what they check — rate slots, key holds, request counts at Poe — is shared by everything on
/// one database and one Poe key, and because each needs its own settings.
/// </summary>
public sealed class PollingBridge : IAsyncDisposable
{
    /// <summary>The Poe key of <c>Poe:ApiKey</c> in <see cref="BridgeSettings"/>.</summary>
    public const string DefaultPoeKey = "poe_test_key_0123456789";

    public static readonly string[] AllEvents = ["video.completed", "video.failed", "video.progress", "watch.failed"];

    private readonly List<BridgeFactory> _factories = [];
    private readonly List<HttpClient> _clients = [];
    private readonly Dictionary<string, string?> _settings;

    private PollingBridge(Dictionary<string, string?> settings, TestClient shop, TestClient studio)
    {
        _settings = settings;
        ShopClient = shop;
        StudioClient = studio;
    }

    public TestClient ShopClient { get; }

    public TestClient StudioClient { get; }

    public string ConnectionString => _settings["ConnectionStrings:Postgres"]!;

    public IReadOnlyList<WebApplicationFactory<Program>> Instances { get; private set; } = [];

    /// <summary>Consumer app <c>shop</c> on the first instance.</summary>
    public HttpClient Shop { get; private set; } = null!;

    /// <summary>Consumer app <c>studio</c> on the first instance.</summary>
    public HttpClient Studio { get; private set; } = null!;

    public BridgeDatabase Database => new(Instances[0].Services);

    /// <summary>Creates the database and starts the first instance with <see cref="BridgeSettings"/> plus these changes.</summary>
    public static async Task<PollingBridge> StartAsync(Uri poeBaseUrl, params (string Key, string? Value)[] settings)
    {
        var bridge = await CreateAsync(poeBaseUrl, settings);
        bridge.StartInstance();
        return bridge;
    }

    /// <summary>Creates the database; instances start with <see cref="StartInstance"/>.</summary>
    public static async Task<PollingBridge> CreateAsync(Uri poeBaseUrl, params (string Key, string? Value)[] settings)
    {
        var shop = TestClient.Generate("shop");
        var studio = TestClient.Generate("studio");
        var all = BridgeSettings.For(await PostgresServer.CreateDatabaseAsync("polling"), shop, studio);
        all["Poe:BaseUrl"] = poeBaseUrl.AbsoluteUri;
        // Deliveries to the unreachable callbacks fail by design here; their warnings would bury the test output.
        all["Logging:LogLevel:Poe.WebhookBridge.Delivery"] = "Error";
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return new PollingBridge(all, shop, studio);
    }

    /// <summary>Starts one more instance on the same database and settings; <paramref name="configure"/> may add test services.</summary>
    public WebApplicationFactory<Program> StartInstance(Action<IWebHostBuilder>? configure = null)
    {
        var factory = BridgeFactory.FromSettings(_settings);
        _factories.Add(factory);
        WebApplicationFactory<Program> instance = configure is null ? factory : factory.WithWebHostBuilder(configure);
        _ = instance.Services;
        Instances = [.. Instances, instance];
        if (Instances.Count == 1)
        {
            Shop = ClientOf(instance, ShopClient);
            Studio = ClientOf(instance, StudioClient);
        }

        return instance;
    }

    /// <summary>Stops an instance as a dying process would leave things: whatever it had claimed stays claimed until the lease ends.</summary>
    public async Task StopInstanceAsync(WebApplicationFactory<Program> instance)
    {
        Instances = [.. Instances.Where(i => i != instance)];
        await instance.DisposeAsync();
    }

    public HttpClient ClientOf(WebApplicationFactory<Program> instance, TestClient client)
    {
        var http = instance.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", client.ApiKey);
        _clients.Add(http);
        return http;
    }

    /// <summary>A callback URL on a loopback port nothing listens on: deliveries fail fast and stay out of the way.</summary>
    public static string Callback(string name = "hook") => $"http://127.0.0.1:{BridgeSettings.RefusingLoopbackPort}/hooks/{name}";

    /// <summary>Registers a watch (201) and returns its id.</summary>
    public static async Task<string> WatchAsync(HttpClient client, string videoId, string[]? events = null, string? callbackUrl = null)
    {
        var body = new Dictionary<string, object> { ["video_id"] = videoId, ["callback_url"] = callbackUrl ?? Callback() };
        if (events is not null)
        {
            body["events"] = events;
        }

        using var response = await client.PostAsync(new Uri("/v1/watches", UriKind.Relative), Http.Json(JsonSerializer.Serialize(body)));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Registering a watch on {videoId}: {(int)response.StatusCode} {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>The watch as its client reads it (the bridge's own read): its row, with the polls its video's target counted since taken in.</summary>
    public Task<Watch> ReadWatchAsync(string watchId) =>
        Database.QueryAsync(async db =>
        {
            var client = await db.Watches.Where(w => w.Id == watchId).Select(w => w.ClientName).SingleAsync();
            return (await WatchQueries.FindAsync(db, watchId, client, CancellationToken.None))!.CaughtUp;
        });

    public Task<List<WebhookEvent>> EventsOfAsync(string watchId) =>
        Database.QueryAsync(db => db.WebhookEvents.AsNoTracking().Where(e => e.WatchId == watchId).OrderBy(e => e.CreatedAt).ToListAsync());

    /// <summary>Waits until the watch is no longer active and returns it.</summary>
    public Task<Watch> EndedAsync(string watchId, TimeSpan timeout) =>
        Eventually.ValueAsync(
            async () => await ReadWatchAsync(watchId) is { Status: not WatchStatus.Active } watch ? watch : null,
            timeout,
            $"watch {watchId} to end");

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        foreach (var factory in _factories)
        {
            await factory.DisposeAsync();
        }

        await PostgresServer.DropDatabaseAsync(ConnectionString);
    }
}
