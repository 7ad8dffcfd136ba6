using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Npgsql;
using Poe.Simulator;
using Poe.WebhookBridge.Tests.Delivery;
using Poe.WebhookBridge.Tests.Operations;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.ReliabilityTests.Support;

/// <summary>
/// One or more bridge processes on a private database, polling the in-process Poe simulator and delivering to a
/// loopback receiver that answers 204. Any instance can be SIGKILLed and started again with the same settings.
/// </summary>
public sealed class BridgeCluster : IAsyncDisposable
{
    private readonly BridgeProcess?[] _instances;
    private readonly List<DateTimeOffset> _kills = [];
    private readonly List<TimeSpan> _boots = [];

    private BridgeCluster(int size, Dictionary<string, string?> settings, InProcessSimulator poe, WebhookReceiver receiver, TestClient client, string database)
    {
        _instances = new BridgeProcess?[size];
        Settings = settings;
        Poe = poe;
        Receiver = receiver;
        Client = client;
        Database = database;
    }

    public Dictionary<string, string?> Settings { get; }

    public InProcessSimulator Poe { get; }

    public WebhookReceiver Receiver { get; }

    public TestClient Client { get; }

    public string Database { get; }

    public IReadOnlyList<DateTimeOffset> Kills
    {
        get
        {
            lock (_kills)
            {
                return [.. _kills];
            }
        }
    }

    /// <summary>How long each start took, from launching the process until it answered as live.</summary>
    public IReadOnlyList<TimeSpan> Boots
    {
        get
        {
            lock (_boots)
            {
                return [.. _boots];
            }
        }
    }

    public int Size => _instances.Length;

    /// <summary>
    /// Starts <paramref name="size"/> instances. Time-outs are short so that what a killed instance had claimed is
    /// released soon (its leases are time-out + margin); failed webhooks are retried every second.
    /// </summary>
    public static async Task<BridgeCluster> StartAsync(
        string purpose, int size, Action<SimulatorOptions>? simulator = null, Action<Dictionary<string, string?>>? configure = null, string? database = null)
    {
        var poe = await InProcessSimulator.StartAsync(o =>
        {
            o.RequestsPerMinute = 100_000;
            simulator?.Invoke(o);
        });
        var receiver = await WebhookReceiver.StartAsync();
        var client = TestClient.Generate("app");
        database ??= await PostgresServer.CreateDatabaseAsync(purpose);
        var connection = new NpgsqlConnectionStringBuilder(database) { MaxPoolSize = 30 }.ConnectionString;
        var settings = BridgeSettings.For(connection, client);
        settings["Poe:BaseUrl"] = poe.BaseUrl.AbsoluteUri;
        settings["Poe:RequestsPerMinute"] = "20000";
        settings["Poe:Timeout"] = "00:00:02";
        settings["Webhooks:Timeout"] = "00:00:02";
        for (var i = 0; i < 7; i++)
        {
            settings[$"Webhooks:RetrySchedule:{i}"] = "00:00:01";
        }

        configure?.Invoke(settings);
        var cluster = new BridgeCluster(size, settings, poe, receiver, client, database);
        // One at a time: they migrate under an advisory lock anyway, and two cores start them faster in turn.
        for (var i = 0; i < size; i++)
        {
            await cluster.StartInstanceAsync(i);
        }

        return cluster;
    }

    public BridgeProcess Instance(int index) => _instances[index] ?? throw new InvalidOperationException($"Instance {index} is down.");

    public async Task StartInstanceAsync(int index)
    {
        var started = Stopwatch.GetTimestamp();
        _instances[index] = await BridgeProcess.StartAsync(new Dictionary<string, string?>(Settings, StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:Postgres"] = new NpgsqlConnectionStringBuilder(Settings["ConnectionStrings:Postgres"]) { ApplicationName = ApplicationName(index) }.ConnectionString,
        });
        lock (_boots)
        {
            _boots.Add(Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>The <c>application_name</c> of instance <paramref name="index"/>'s connections in <c>pg_stat_activity</c>.</summary>
    public static string ApplicationName(int index) => $"bridge-{index}";

    public async Task KillAsync(int index)
    {
        var instance = Instance(index);
        _instances[index] = null;
        lock (_kills)
        {
            _kills.Add(DateTimeOffset.UtcNow);
        }

        await instance.KillAsync();
        await instance.DisposeAsync();
    }

    public async Task RestartAsync(int index)
    {
        await KillAsync(index);
        await StartInstanceAsync(index);
    }

    /// <summary>A client of the REST API on one instance (as it is now: a restarted instance listens on a new port).</summary>
    public HttpClient Api(int index = 0) => new()
    {
        BaseAddress = Instance(index).BaseUrl,
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", Client.ApiKey) },
        Timeout = TimeSpan.FromSeconds(30),
    };

    public Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read) => Sql.QueryAsync(Database, sql, read);

    /// <summary>What is still open, for a failure message.</summary>
    public async Task<string> DescribeAsync()
    {
        var watches = await QueryAsync("SELECT status, count(*) FROM bridge.watches GROUP BY status", r => $"watches {r.GetString(0)}: {r.GetInt64(1)}");
        var events = await QueryAsync("SELECT status, count(*) FROM bridge.webhook_events GROUP BY status", r => $"events {r.GetString(0)}: {r.GetInt64(1)}");
        var output = _instances.Where(i => i is not null).SelectMany(i => i!.Output.TakeLast(20));
        return string.Join("; ", watches.Concat(events)) + $"; received {Receiver.Received.Count}\n" + string.Join('\n', output);
    }

    public static string Seconds(TimeSpan span) => span.ToString("c", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            if (instance is not null)
            {
                await instance.KillAsync();
                await instance.DisposeAsync();
            }
        }

        await Receiver.DisposeAsync();
        await Poe.DisposeAsync();
        await PostgresServer.DropDatabaseAsync(Database);
    }
}
