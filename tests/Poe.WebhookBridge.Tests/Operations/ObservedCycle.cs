using System.Net;
using System.Net.Http.Headers;
using Npgsql;
using Poe.Simulator;
using Poe.Simulator.Requests;
using Poe.Simulator.Videos;
using Poe.WebhookBridge.Tests.Delivery;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Operations;

/// <summary>
/// One full register → poll → deliver cycle through the built bridge run as a process (JSON console logs at Trace
/// level, every category) against the Poe simulator and a loopback consumer, with the detours an operator's logs
/// would see: a consumer that fails once, one that refuses connections until its webhook dies, a client whose own Poe
/// key Poe rejects, a wrong client key, wrong and right dashboard passwords. Keeps the bridge's whole output and a
/// <c>/metrics</c> scrape taken after the cycle.
/// </summary>
public sealed partial class ObservedCycle : IAsyncLifetime
{
    public const string VideoId = "video_ops_cycle";
    public const string RejectedVideoId = "video_ops_rejected_key";
    public const string DashboardUser = "operator";

    private string? _connectionString;

    public string CallbackUrl { get; private set; } = "";

    public string WatchId { get; private set; } = "";

    public IReadOnlyList<string> Output { get; private set; } = [];

    public string Metrics { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _connectionString = new NpgsqlConnectionStringBuilder(await PostgresServer.CreateDatabaseAsync("observed"))
        {
            // The test cluster trusts local connections, so any password works; this one must never be logged.
            Password = DatabasePassword,
        }.ConnectionString;
        await using var simulator = await InProcessSimulator.StartAsync(options => options.ApiKeys.Add(PoeKey));
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer(WebhookReceiver.Status(500));
        CallbackUrl = $"{receiver.Url}/{CallbackPathSecret}?token={CallbackQuerySecret}";
        simulator.Videos.Create(new VideoSpec { Id = VideoId, QueuedTime = TimeSpan.Zero, RunningTime = TimeSpan.FromSeconds(1) });

        await using var bridge = await BridgeProcess.StartAsync(Settings(simulator.BaseUrl));
        try
        {
            await RunCycleAsync(bridge, simulator, receiver);
            using var http = bridge.CreateClient();
            Metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        }
        finally
        {
            await bridge.StopAsync();
            Output = bridge.Output;
        }
    }

    public async Task DisposeAsync()
    {
        if (_connectionString is not null)
        {
            await PostgresServer.DropDatabaseAsync(_connectionString);
        }
    }

    private async Task RunCycleAsync(BridgeProcess bridge, InProcessSimulator simulator, WebhookReceiver receiver)
    {
        using var shop = Authorized(bridge, Shop.ApiKey);
        using var studio = Authorized(bridge, Studio.ApiKey);
        using var stranger = Authorized(bridge, WrongClientKey);

        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/watches") { Content = Http.Json(Http.WatchBody(VideoId, CallbackUrl)) })
        {
            request.Headers.Add("Idempotency-Key", "ops-cycle-1");
            using var created = await shop.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            WatchId = (await created.ReadJsonAsync()).GetProperty("id").GetString()!;
        }

        var deadWatchId = await shop.CreateWatchAsync(VideoId, DeadCallbackUrl);
        await studio.CreateWatchAsync(RejectedVideoId, CallbackUrl);
        using (var refused = await stranger.GetAsync(new Uri("/v1/watches", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        await DashboardAsync(bridge, DashboardPassword + "x", HttpStatusCode.Unauthorized);
        await DashboardAsync(bridge, DashboardPassword, HttpStatusCode.OK);

        await Eventually.TrueAsync(async () =>
        {
            var events = (await shop.GetJsonAsync($"/v1/watches/{WatchId}/events")).GetProperty("data");
            return events.GetArrayLength() == 1 && events[0].GetProperty("delivery").GetProperty("status").GetString() == "delivered";
        }, TimeSpan.FromSeconds(30), "the webhook to be delivered on its second attempt");
        await Eventually.TrueAsync(async () =>
        {
            var events = (await shop.GetJsonAsync($"/v1/watches/{deadWatchId}/events")).GetProperty("data");
            return events.GetArrayLength() == 1 && events[0].GetProperty("delivery").GetProperty("status").GetString() == "failed";
        }, TimeSpan.FromSeconds(30), "the webhook to the refusing endpoint to die after its retry");
        await Eventually.TrueAsync(
            () => Task.FromResult(simulator.Requests.Since().Any(r => r.VideoId == RejectedVideoId && r.Status == 401)),
            TimeSpan.FromSeconds(10), "Poe to reject the studio's key");
        Assert.Equal(2, receiver.Received.Count); // answered 500, then 204
    }

    private static HttpClient Authorized(BridgeProcess bridge, string apiKey)
    {
        var client = bridge.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    private static async Task DashboardAsync(BridgeProcess bridge, string password, HttpStatusCode expected)
    {
        using var client = bridge.CreateClient();
        client.DefaultRequestHeaders.Authorization = BasicCredentials(password);
        using var response = await client.GetAsync(new Uri("/hangfire/recurring", UriKind.Relative));
        Assert.Equal(expected, response.StatusCode);
    }
}

[CollectionDefinition(Name)]
public sealed class ObservedCycleDefinition : ICollectionFixture<ObservedCycle>
{
    public const string Name = "observed cycle";
}
