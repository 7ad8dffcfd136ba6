using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Poe.WebhookBridge.Tests.Support.Contract;

namespace Poe.WebhookBridge.Tests.Support;

/// <summary>
/// The bridge in-process over its own fresh PostgreSQL database, configured only through settings. As the shared
/// collection fixture it has two clients, <see cref="Shop"/> and <see cref="Studio"/>; <see cref="WithSettings"/>
/// starts a second instance on the same database with some settings changed.
/// </summary>
public sealed class BridgeFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsDatabase;
    private readonly Action<IWebHostBuilder>? _configure;
    private readonly List<BridgeFactory> _instances = [];
    private BridgeFactory? _strict;

    public BridgeFactory()
        : this(new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase), ownsDatabase: true)
    {
    }

    private BridgeFactory(Dictionary<string, string?> settings, bool ownsDatabase, Action<IWebHostBuilder>? configure = null)
    {
        _settings = settings;
        _ownsDatabase = ownsDatabase;
        _configure = configure;
    }

    public TestClient Shop { get; } = TestClient.Generate("shop");

    public TestClient Studio { get; } = TestClient.Generate("studio");

    public IReadOnlyDictionary<string, string?> Settings => _settings;

    /// <summary>What the OpenAPI document rejected among this instance's answers (every test bridge checks every answer).</summary>
    public ContractLog Contract { get; } = new();

    public string ConnectionString => _settings["ConnectionStrings:Postgres"]!;

    public BridgeDatabase Database => new(Services);

    /// <summary>A second instance on the same database as production runs it: https callbacks to public addresses only.</summary>
    public BridgeFactory Strict => _strict ??= WithSettings(("Webhooks:AllowHttp", "false"), ("Webhooks:AllowPrivateNetworks", "false"));

    /// <summary>
    /// A bridge configured by exactly these settings (and <paramref name="configure"/>, e.g. to capture its logs); it
    /// starts on first use (<see cref="WebApplicationFactory{T}.Services"/>).
    /// </summary>
    public static BridgeFactory FromSettings(IDictionary<string, string?> settings, Action<IWebHostBuilder>? configure = null) =>
        new(new Dictionary<string, string?>(settings, StringComparer.OrdinalIgnoreCase), ownsDatabase: false, configure);

    /// <summary>Another bridge instance on this one's database, with these settings changed (a null value removes one).</summary>
    public BridgeFactory WithSettings(params (string Key, string? Value)[] changes)
    {
        var settings = new Dictionary<string, string?>(_settings, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in changes)
        {
            settings[key] = value;
        }

        var instance = new BridgeFactory(settings, ownsDatabase: false);
        _instances.Add(instance);
        return instance;
    }

    /// <summary>An HTTP client sending <c>Authorization: Bearer {apiKey}</c> (none when null).</summary>
    public HttpClient ClientFor(string? apiKey)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    public HttpClient ClientFor(TestClient client) => ClientFor(client.ApiKey);

    /// <summary>
    /// Polls <c>/health/ready</c> until it answers 200 and returns that report; readiness comes a moment after start-up
    /// (the Hangfire server announces itself in the background).
    /// </summary>
    public async Task<JsonElement> WaitUntilReadyAsync(TimeSpan? timeout = null)
    {
        using var client = ClientFor(apiKey: null);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                using var report = JsonDocument.Parse(body);
                return report.RootElement.Clone();
            }

            Assert.True(DateTime.UtcNow < deadline, $"Not ready: {(int)response.StatusCode} {body}");
            await Task.Delay(100);
        }
    }

    async Task IAsyncLifetime.InitializeAsync()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("api");
        foreach (var (key, value) in BridgeSettings.For(connectionString, Shop, Studio))
        {
            _settings[key] = value;
        }

        // Start now, so a start-up failure is reported once, as the fixture's, rather than by every test.
        _ = Services;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        await DisposeAsync();
        if (_ownsDatabase && _settings.ContainsKey("ConnectionStrings:Postgres"))
        {
            await PostgresServer.DropDatabaseAsync(ConnectionString);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Contract.AssertNone();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new ContractStartupFilter(Contract)));
        _configure?.Invoke(builder);
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        if (!ContractDocument.Current.IsCompleted)
        {
            // Loaded at the first start rather than at the first API call: a webhook receiver may need it before any call.
            using var client = host.GetTestServer().CreateClient();
            ContractDocument.Publish(client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)).GetAwaiter().GetResult());
        }

        return host;
    }
}

[CollectionDefinition(Name)]
public sealed class BridgeFixture : ICollectionFixture<BridgeFactory>
{
    public const string Name = "bridge";
}
