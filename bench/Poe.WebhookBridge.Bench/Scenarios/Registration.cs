using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Poe.Simulator;
using Poe.WebhookBridge.Bench.Infrastructure;
using Poe.WebhookBridge.Bench.Reporting;

namespace Poe.WebhookBridge.Bench.Scenarios;

/// <summary>
/// Scenario 1: registration throughput. 32 concurrent clients POST /v1/watches for a fixed time. Baselines, each run
/// with no bridge alive: the same load against the minimal endpoint a user would write instead
/// (<see cref="PeerRegistrationEndpoint"/>, a process of its own as the bridge is), and as many durable single-row
/// INSERTs of a watch-sized row through Npgsql. The load generator is this process for the bridge and the endpoint alike;
/// each server's CPU time per registration is reported beside its rate.
/// </summary>
public static class Registration
{
    private const int Clients = 32;
    private static readonly string[] Events = ["video.completed", "video.failed", "watch.failed"];

    public static async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var duration = TimeSpan.FromSeconds(context.Quick ? 3 : 20);
        var warmUp = context.SteadyStateWarmUp;
        var started = DateTimeOffset.UtcNow;
        var callback = new Uri("http://127.0.0.1:9/hooks/s1");
        int count, errors;
        TimeSpan elapsed, cpu;
        List<double> latencies;
        await using (var simulator = await InProcessSimulator.StartAsync(o => o.RequestsPerMinute = 500))
        {
            var db = await context.CreateBridgeDatabaseAsync("bench_s1");
            // The watches are for unknown videos (404s, tolerated); a small budget keeps their polling in the background.
            await using var bridge = await context.StartBridgeAsync("s1", db, simulator.BaseUrl, "poe-key-s1", new Dictionary<string, string>
            {
                ["Poe__RequestsPerMinute"] = "60",
            });
            using var api = new BridgeApi(bridge.Url);
            BenchContext.Say($"scenario 1: {Clients} clients POST /v1/watches for {duration.TotalSeconds:0} s (after {warmUp.TotalSeconds:0} s of warm-up)");
            await LoadAsync(warmUp, "warm", (id, ct) => api.TryRegisterAsync(id, callback, ct));
            var before = bridge.Footprint().Cpu;
            (count, errors, elapsed, latencies) = await LoadAsync(duration, "run", (id, ct) => api.TryRegisterAsync(id, callback, ct));
            cpu = bridge.Footprint().Cpu - before;
        }

        // The baselines run with the bridge stopped, so neither shares the machine with it.
        var bridgeRate = count / elapsed.TotalSeconds;
        var peerDb = await context.Postgres.CreateDatabaseAsync("bench_s1_peer");
        var (peerCount, peerErrors, peerElapsed, peerLatencies, peerCpu) = await PeerAsync(context.Repo, peerDb, callback, warmUp, duration);
        var peerRate = peerCount / peerElapsed.TotalSeconds;
        var baselineDb = await context.Postgres.CreateDatabaseAsync("bench_s1_baseline");
        var (baseElapsed, baseLatencies) = await InsertsAsync(baselineDb, count);
        var baseRate = count / baseElapsed.TotalSeconds;
        var (cpuEach, peerCpuEach) = (cpu.TotalMicroseconds / count, peerCpu.TotalMicroseconds / peerCount);
        BenchContext.Say($"scenario 1: bridge {bridgeRate:0}/s ({cpuEach:0} µs CPU each), peer endpoint {peerRate:0}/s ({peerCpuEach:0} µs CPU each), Npgsql INSERTs {baseRate:0}/s");

        var (p50, p99) = (Stats.Percentile(latencies, 50), Stats.Percentile(latencies, 99));
        var (pp50, pp99) = (Stats.Percentile(peerLatencies, 50), Stats.Percentile(peerLatencies, 99));
        var (bp50, bp99) = (Stats.Percentile(baseLatencies, 50), Stats.Percentile(baseLatencies, 99));
        const string Base = "Npgsql INSERT";
        const string Peer = "minimal endpoint (bearer key + INSERT)";
        var figures = new List<Figure>
        {
            new(1, "registrations/s", bridgeRate, Peer, peerRate, "/s", true, "≥ 0.8", 0.8,
                $"{count} watches in {elapsed.TotalSeconds:0.0} s, {errors} errors; endpoint: {peerCount} in {peerElapsed.TotalSeconds:0.0} s, {peerErrors} errors; " +
                $"server CPU a registration {cpuEach:0} µs vs {peerCpuEach:0} µs"),
            new(1, "registrations/s", bridgeRate, Base, baseRate, "/s", true, "≥ 0.5", 0.5, ""),
            new(1, "registration latency p50", p50, Peer, pp50, "ms", false, "–", null, $"Npgsql INSERT {bp50:0.0} ms"),
            new(1, "registration latency p99", p99, Peer, pp99, "ms", false, "–", null, $"Npgsql INSERT {bp99:0.0} ms"),
        };
        var absolute = new Dictionary<string, double>
        {
            ["registrations"] = count, ["errors"] = errors, ["per_second"] = bridgeRate, ["p50_ms"] = p50, ["p99_ms"] = p99,
            ["cpu_us_per_registration"] = cpuEach, ["peer_cpu_us_per_registration"] = peerCpuEach,
            ["peer_per_second"] = peerRate, ["peer_errors"] = peerErrors, ["peer_p50_ms"] = pp50, ["peer_p99_ms"] = pp99,
            ["insert_per_second"] = baseRate, ["insert_p50_ms"] = bp50, ["insert_p99_ms"] = bp99,
        };
        var workload = string.Create(CultureInfo.InvariantCulture,
            $"{Clients} concurrent clients, each POSTing /v1/watches (a new video id each time, no metadata) back to back for {duration.TotalSeconds:0} s after {warmUp.TotalSeconds:0} s of warm-up; " +
            $"the bridge meanwhile polls the new watches at 60 rpm. Baselines, run after the bridge stopped: (a) the same load against a minimal ASP.NET Core endpoint, a process of its own started as the bridge is " +
            $"(its runtimeconfig, workstation GC), that checks the bearer key (SHA-256, constant-time compare), parses the body and INSERTs the row with Npgsql, nothing else; (b) as many INSERTs as the bridge registered " +
            $"(one row: id, client, video id, callback URL, events text[], metadata jsonb, status, timestamps; primary key and the active-identity unique index) by {Clients} Npgsql connections; " +
            $"synchronous_commit on throughout.");
        return new ScenarioResult(1, "registration throughput", workload, (DateTimeOffset.UtcNow - started).TotalSeconds, figures, absolute);
    }

    private static async Task<(int Count, int Errors, TimeSpan Elapsed, List<double> Latencies, TimeSpan Cpu)> PeerAsync(
        string repo, string connectionString, Uri callback, TimeSpan warmUp, TimeSpan duration)
    {
        await using (await CreateTableAsync(connectionString))
        {
        }

        await using var peer = await PeerRegistrationEndpoint.StartAsync(repo, Pool(connectionString));
        using var api = new BridgeApi(peer.Url);
        await LoadAsync(warmUp, "warm", (id, ct) => api.TryRegisterAsync(id, callback, ct));
        var before = peer.Cpu;
        var (count, errors, elapsed, latencies) = await LoadAsync(duration, "run", (id, ct) => api.TryRegisterAsync(id, callback, ct));
        return (count, errors, elapsed, latencies, peer.Cpu - before);
    }

    /// <summary>The baselines' pool: a connection for each client and a few spare.</summary>
    private static string Pool(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = Clients + 4 }.ConnectionString;

    private static async Task<NpgsqlDataSource> CreateTableAsync(string connectionString)
    {
        var dataSource = NpgsqlDataSource.Create(Pool(connectionString));
        await using var create = dataSource.CreateCommand("""
            CREATE TABLE watches (id varchar(40) PRIMARY KEY, client_name varchar(64) NOT NULL, video_id varchar(200) NOT NULL,
              callback_url varchar(2048) NOT NULL, poe_key_id varchar(40) NOT NULL, events text[] NOT NULL, metadata jsonb NOT NULL,
              status varchar(16) NOT NULL, poll_count int NOT NULL, created_at timestamptz NOT NULL);
            CREATE UNIQUE INDEX ON watches (client_name, video_id, callback_url) WHERE status = 'active';
            """);
        await create.ExecuteNonQueryAsync();
        return dataSource;
    }

    private static async Task<(int Count, int Errors, TimeSpan Elapsed, List<double> Latencies)> LoadAsync(
        TimeSpan duration, string phase, Func<string, CancellationToken, Task<HttpResponseMessage>> register)
    {
        var latencies = new List<double>[Clients];
        var (count, errors) = (0, 0);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async client =>
        {
            latencies[client] = [];
            for (var n = 0; clock.Elapsed < duration; n++)
            {
                var start = clock.Elapsed;
                try
                {
                    using var response = await register($"video_s1_{phase}_{client}_{n}", CancellationToken.None);
                    if (response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref count);
                        latencies[client].Add((clock.Elapsed - start).TotalMilliseconds);
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        return (count, errors, clock.Elapsed, [.. latencies.SelectMany(l => l)]);
    }

    private static async Task<(TimeSpan Elapsed, List<double> Latencies)> InsertsAsync(string connectionString, int count)
    {
        await using var dataSource = await CreateTableAsync(connectionString);
        var latencies = new List<double>[Clients];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async client =>
        {
            latencies[client] = [];
            await using var connection = await dataSource.OpenConnectionAsync();
            int n;
            while ((n = Interlocked.Increment(ref next)) < count)
            {
                var start = clock.Elapsed;
                await using var insert = new NpgsqlCommand(
                    "INSERT INTO watches VALUES ($1, 'bench', $2, 'http://127.0.0.1:9/hooks/s1', 'a1b2c3d4', $3, '{}', 'active', 0, now())", connection);
                insert.Parameters.Add(new NpgsqlParameter { Value = $"watch_{Guid.NewGuid():N}" });
                insert.Parameters.Add(new NpgsqlParameter { Value = $"video_s1_{n}" });
                insert.Parameters.Add(new NpgsqlParameter { Value = Events, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                await insert.ExecuteNonQueryAsync();
                latencies[client].Add((clock.Elapsed - start).TotalMilliseconds);
            }
        }));
        return (clock.Elapsed, [.. latencies.SelectMany(l => l)]);
    }
}
