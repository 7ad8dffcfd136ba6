using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Poe.Simulator;
using Poe.WebhookBridge.Bench.Infrastructure;
using Poe.WebhookBridge.Bench.Reporting;

namespace Poe.WebhookBridge.Bench.Scenarios;

/// <summary>
/// Scenario 1: registration throughput. 32 concurrent clients POST /v1/watches for a fixed time; the baseline makes the
/// same number of durable single-row INSERTs of a watch-sized row through Npgsql, at the same concurrency.
/// </summary>
public static class Registration
{
    private const int Clients = 32;
    private static readonly string[] Events = ["video.completed", "video.failed", "watch.failed"];

    public static async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var duration = TimeSpan.FromSeconds(context.Quick ? 3 : 20);
        var warmUp = TimeSpan.FromSeconds(context.Quick ? 1 : 2);
        var started = DateTimeOffset.UtcNow;
        await using var simulator = await InProcessSimulator.StartAsync(o => o.RequestsPerMinute = 500);
        var db = await context.CreateBridgeDatabaseAsync("bench_s1");
        // The watches are for unknown videos (404s, tolerated); a small budget keeps their polling in the background.
        await using var bridge = await context.StartBridgeAsync("s1", db, simulator.BaseUrl, "poe-key-s1", new Dictionary<string, string>
        {
            ["Poe__RequestsPerMinute"] = "60",
        });
        using var api = new BridgeApi(bridge.Url);
        var callback = new Uri("http://127.0.0.1:9/hooks/s1");
        BenchContext.Say($"scenario 1: {Clients} clients POST /v1/watches for {duration.TotalSeconds:0} s (after {warmUp.TotalSeconds:0} s of warm-up)");
        await LoadAsync(warmUp, "warm", (id, ct) => api.TryRegisterAsync(id, callback, ct));
        var (count, errors, elapsed, latencies) = await LoadAsync(duration, "run", (id, ct) => api.TryRegisterAsync(id, callback, ct));
        var bridgeRate = count / elapsed.TotalSeconds;

        var baselineDb = await context.Postgres.CreateDatabaseAsync("bench_s1_baseline");
        var (baseElapsed, baseLatencies) = await InsertsAsync(baselineDb, count);
        var baseRate = count / baseElapsed.TotalSeconds;

        var (p50, p99) = (Stats.Percentile(latencies, 50), Stats.Percentile(latencies, 99));
        var (bp50, bp99) = (Stats.Percentile(baseLatencies, 50), Stats.Percentile(baseLatencies, 99));
        const string Base = "Npgsql INSERT";
        var figures = new List<Figure>
        {
            new(1, "registrations/s", bridgeRate, Base, baseRate, "/s", true, "≥ 0.4", 0.4, $"{count} watches in {elapsed.TotalSeconds:0.0} s, {errors} errors"),
            new(1, "registration latency p50", p50, Base, bp50, "ms", false, "–", null, ""),
            new(1, "registration latency p99", p99, Base, bp99, "ms", false, "–", null, ""),
        };
        var absolute = new Dictionary<string, double>
        {
            ["registrations"] = count, ["errors"] = errors, ["per_second"] = bridgeRate, ["p50_ms"] = p50, ["p99_ms"] = p99,
            ["insert_per_second"] = baseRate, ["insert_p50_ms"] = bp50, ["insert_p99_ms"] = bp99,
        };
        var workload = string.Create(CultureInfo.InvariantCulture,
            $"{Clients} concurrent clients, each POSTing /v1/watches (a new video id each time, no metadata) back to back for {duration.TotalSeconds:0} s after {warmUp.TotalSeconds:0} s of warm-up; " +
            $"the bridge meanwhile polls the new watches at 60 rpm. Baseline: the same number of INSERTs (one row: id, client, video id, callback URL, events text[], metadata jsonb, " +
            $"status, timestamps; primary key and the active-identity unique index) by {Clients} Npgsql connections, synchronous_commit on as for the bridge.");
        return new ScenarioResult(1, "registration throughput", workload, (DateTimeOffset.UtcNow - started).TotalSeconds, figures, absolute);
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
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = Clients + 4 };
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        await using (var create = dataSource.CreateCommand("""
            CREATE TABLE watches (id varchar(40) PRIMARY KEY, client_name varchar(64) NOT NULL, video_id varchar(200) NOT NULL,
              callback_url varchar(2048) NOT NULL, poe_key_id varchar(40) NOT NULL, events text[] NOT NULL, metadata jsonb NOT NULL,
              status varchar(16) NOT NULL, poll_count int NOT NULL, created_at timestamptz NOT NULL);
            CREATE UNIQUE INDEX ON watches (client_name, video_id, callback_url) WHERE status = 'active';
            """))
        {
            await create.ExecuteNonQueryAsync();
        }

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
