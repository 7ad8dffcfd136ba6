using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
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
/// key Poe rejects, a wrong client key, wrong and right dashboard passwords. Keeps the bridge's whole output and a <c>/metrics</c> scrape taken after the cycle.
/// </summary>
public sealed class ObservedCycle : IAsyncLifetime
{
    public const string VideoId = "video_ops_cycle";
    public const string RejectedVideoId = "video_ops_rejected_key";
    public const string DashboardUser = "operator";

    private string? _connectionString;

    public TestClient Shop { get; } = TestClient.Generate("shop");

    public TestClient Studio { get; } = TestClient.Generate("studio");

    public string PoeKey { get; } = Secret("poe");

    public string StudioPoeKey { get; } = Secret("poe_studio");

    public string DashboardPassword { get; } = Secret("dash");

    public string DatabasePassword { get; } = Secret("pg");

    public string WrongClientKey { get; } = Secret("wrong");

    public string CallbackPathSecret { get; } = Secret("cbpath");

    public string CallbackQuerySecret { get; } = Secret("cbquery");

    public string CallbackUrl { get; private set; } = "";

    public string WatchId { get; private set; } = "";

    /// <summary>A second consumer of the same video whose endpoint refuses connections, so its webhook dies.</summary>
    public string DeadCallbackUrl { get; } = $"http://127.0.0.1:{BridgeSettings.UnusedLoopbackPort()}/{Secret("deadpath")}/hooks?token={Secret("deadquery")}";

    public IReadOnlyList<string> Output { get; private set; } = [];

    public string Metrics { get; private set; } = "";

    /// <summary>Every value the logs must never contain, by what it is.</summary>
    public IReadOnlyDictionary<string, string> Secrets => new Dictionary<string, string>
    {
        ["shop API key"] = Shop.ApiKey,
        ["shop signing secret"] = Shop.SigningSecret,
        ["shop signing secret (base64 part)"] = Shop.SigningSecret["whsec_".Length..],
        ["studio API key"] = Studio.ApiKey,
        ["studio signing secret"] = Studio.SigningSecret,
        ["studio signing secret (base64 part)"] = Studio.SigningSecret["whsec_".Length..],
        ["Poe key"] = PoeKey,
        ["studio's own Poe key"] = StudioPoeKey,
        ["dashboard password"] = DashboardPassword,
        ["dashboard Basic credentials"] = BasicCredentials(DashboardPassword).Parameter!,
        ["wrong dashboard Basic credentials"] = BasicCredentials(DashboardPassword + "x").Parameter!,
        ["database password"] = DatabasePassword,
        ["presented wrong client key"] = WrongClientKey,
        ["callback URL"] = CallbackUrl,
        ["dead callback URL path and query"] = DeadCallbackUrl[DeadCallbackUrl.IndexOf('/', "http://".Length)..],
        ["callback URL path"] = CallbackPathSecret,
        ["callback URL query"] = CallbackQuerySecret,
    };

    public async Task InitializeAsync()
    {
        _connectionString = new NpgsqlConnectionStringBuilder(await PostgresServer.CreateDatabaseAsync("observed"))
        {
            // The test cluster trusts local connections, so any password works; this one must never be logged.
            Password = DatabasePassword,
        }.ConnectionString;
        await using var simulator = SimulatorApp.Build(["--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"], options => options.ApiKeys.Add(PoeKey));
        await simulator.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer(WebhookReceiver.Status(500));
        CallbackUrl = $"{receiver.Url}/{CallbackPathSecret}?token={CallbackQuerySecret}";
        simulator.Services.GetRequiredService<VideoStore>().Create(new VideoSpec { Id = VideoId, QueuedTime = TimeSpan.Zero, RunningTime = TimeSpan.FromSeconds(1) });

        await using var bridge = await BridgeProcess.StartAsync(Settings(new Uri(simulator.Urls.Single())));
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
            await simulator.StopAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (_connectionString is not null)
        {
            await PostgresServer.DropDatabaseAsync(_connectionString);
        }
    }

    public static AuthenticationHeaderValue BasicCredentials(string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{DashboardUser}:{password}")));

    private Dictionary<string, string?> Settings(Uri poe)
    {
        var settings = BridgeSettings.For(_connectionString!, Shop, Studio);
        settings["Poe:BaseUrl"] = poe.AbsoluteUri;
        settings["Poe:ApiKey"] = PoeKey;
        settings["Clients:studio:PoeApiKey"] = StudioPoeKey;
        settings["Dashboard:Username"] = DashboardUser;
        settings["Dashboard:Password"] = DashboardPassword;
        // Configuration arrays merge by index: all seven entries of appsettings.json's schedule are replaced.
        for (var i = 0; i < 7; i++)
        {
            settings[$"Webhooks:RetrySchedule:{i}"] = "00:00:00.2";
        }

        settings["Logging:Console:FormatterName"] = "json";
        settings["Logging:Console:FormatterOptions:IncludeScopes"] = "true";
        foreach (var category in new[] { "Default", "Microsoft", "Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "Microsoft.EntityFrameworkCore.Database.Command", "Hangfire", "System.Net.Http.HttpClient", "Npgsql" })
        {
            settings[$"Logging:LogLevel:{category}"] = "Trace";
        }

        return settings;
    }

    private async Task RunCycleAsync(BridgeProcess bridge, WebApplication simulator, WebhookReceiver receiver)
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

        await Wait.UntilAsync(async () =>
        {
            var events = (await shop.GetJsonAsync($"/v1/watches/{WatchId}/events")).GetProperty("data");
            return events.GetArrayLength() == 1 && events[0].GetProperty("delivery").GetProperty("status").GetString() == "delivered";
        }, TimeSpan.FromSeconds(30), "the webhook to be delivered on its second attempt");
        await Wait.UntilAsync(async () =>
        {
            var events = (await shop.GetJsonAsync($"/v1/watches/{deadWatchId}/events")).GetProperty("data");
            return events.GetArrayLength() == 1 && events[0].GetProperty("delivery").GetProperty("status").GetString() == "failed";
        }, TimeSpan.FromSeconds(30), "the webhook to the refusing endpoint to die after its retry");
        await Wait.UntilAsync(
            () => Task.FromResult(simulator.Services.GetRequiredService<RequestLog>().Since().Any(r => r.VideoId == RejectedVideoId && r.Status == 401)),
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

    private static string Secret(string what) => $"{what}_secret_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}";
}

[CollectionDefinition(Name)]
public sealed class ObservedCycleDefinition : ICollectionFixture<ObservedCycle>
{
    public const string Name = "observed cycle";
}
