using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Poe.Simulator;
using Poe.Simulator.Auth;
using Poe.Simulator.Videos;
using Poe.WebhookBridge.Bench.Infrastructure;
using Poe.WebhookBridge.Bench.Reporting;

namespace Poe.WebhookBridge.Bench.Scenarios;

/// <summary>
/// Scenario 2: the poll engine's throughput when Poe's budget is not the limit. Many clients, each with its own Poe key,
/// more active watches than the bridge can poll at the interval: sustained polls/s and database statements per poll.
/// Baselines, each alone on the machine after the bridge stopped: (a) a bare HttpClient loop polling the same videos at
/// the bridge's concurrency; (b) one Hangfire job per poll on the same PostgreSQL.
/// </summary>
public static class PollEngine
{
    /// <summary>The bridge's cap on polls in flight (PollRunner.MaxInFlight).</summary>
    private const int PollRunnerConcurrency = 256;

    public static async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var quick = context.Quick;
        var keys = quick ? 20 : 200;
        var watches = quick ? 2000 : 20_000;
        var interval = TimeSpan.FromSeconds(quick ? 1 : 5);
        // A quarter above each key's share of the demand: the budget never binds, and its rate slots stay few.
        var budget = (int)(watches / interval.TotalSeconds / keys * 60 * 1.25);
        var warmUp = TimeSpan.FromSeconds(quick ? 2 : 3);
        var window = TimeSpan.FromSeconds(quick ? 3 : 10);
        var baselineWindow = TimeSpan.FromSeconds(quick ? 2 : 5);
        var started = DateTimeOffset.UtcNow;
        await using var simulator = await InProcessSimulator.StartAsync(o => o.RequestsPerMinute = 1_000_000);
        var videos = Enumerable.Range(0, watches)
            .Select(i => simulator.Videos.Create(new VideoSpec { Id = $"video_s2_{i}", QueuedTime = TimeSpan.Zero, RunningTime = TimeSpan.FromHours(1) }).Id)
            .ToList();
        var clients = Enumerable.Range(0, keys).Select(i => (Name: $"s2c{i:000}", PoeKey: $"poe-key-s2-{i:000}")).ToList();
        var settings = new Dictionary<string, string>
        {
            ["Poe__RequestsPerMinute"] = budget.ToString(CultureInfo.InvariantCulture),
            ["Polling__Interval"] = interval.ToString(),
        };
        foreach (var (name, poeKey) in clients)
        {
            settings[$"Clients__{name}__ApiKey"] = $"bench-client-key-{name}";
            settings[$"Clients__{name}__SigningSecret"] = BridgeProcess.SigningSecret;
            settings[$"Clients__{name}__PoeApiKey"] = poeKey;
        }

        var db = await context.CreateBridgeDatabaseAsync("bench_s2");
        double polls, statements, transactions;
        await using (var bridge = await context.StartBridgeAsync("s2", db, simulator.BaseUrl, "poe-key-s2", settings))
        {
            BenchContext.Say($"scenario 2: {watches} watches across {keys} keys, interval {interval.TotalSeconds:0} s (demand {watches / interval.TotalSeconds:0} polls/s)");
            await Seed.ActiveWatchesAsync(db, watches, "video_s2_", new Uri("http://127.0.0.1:9/hooks/s2"), clients, TimeSpan.Zero);
            await Task.Delay(warmUp);
            var from = DateTimeOffset.UtcNow;
            var before = await context.Postgres.CountersAsync(db);
            await Task.Delay(window);
            var after = await context.Postgres.CountersAsync(db);
            var keyIds = clients.Select(c => ApiKeys.KeyId(c.PoeKey)).ToHashSet();
            polls = simulator.Requests.Since(from.ToUnixTimeMilliseconds()).Count(e => e.KeyId is { } k && keyIds.Contains(k) && e.AtMs < (from + window).ToUnixTimeMilliseconds());
            (statements, transactions) = (after.Statements - before.Statements, after.Transactions - before.Transactions);
        }

        var rate = polls / window.TotalSeconds;
        BenchContext.Say($"scenario 2: bridge {rate:0} polls/s; bare HttpClient loop next");
        var bare = await BareLoopAsync(simulator, clients, videos, baselineWindow);
        var (hangfire, hangfireStatements) = await HangfirePerPoll.MeasureAsync(context, simulator, "poe-key-s2-hangfire", videos, baselineWindow);
        var figures = new List<Figure>
        {
            new(2, $"polls/s, {keys} keys saturated", rate, $"bare HttpClient loop ({PollRunnerConcurrency} concurrent)", bare, "/s", true, "≥ 0.25", 0.25,
                $"{polls:0} polls in {window.TotalSeconds:0} s; demand {watches / interval.TotalSeconds:0}/s; budget {keys} × {budget} rpm"),
            new(2, "polls/s vs one Hangfire job per poll", rate, $"Hangfire job per poll ({HangfirePerPoll.Workers} workers)", hangfire, "/s", true, "≥ 20", 20, ""),
            new(2, "PostgreSQL statements per poll", statements / polls, "Hangfire job per poll", hangfireStatements, "stmt", false, "–", null,
                $"bridge: {statements:0} statements (pg_stat_statements calls) and {transactions / polls:0.00} commits per poll in the window"),
        };
        var absolute = new Dictionary<string, double>
        {
            ["keys"] = keys, ["watches"] = watches, ["polls_per_s"] = rate, ["bare_polls_per_s"] = bare, ["hangfire_polls_per_s"] = hangfire, ["hangfire_statements_per_poll"] = hangfireStatements,
            ["statements_per_poll"] = statements / polls, ["transactions_per_poll"] = transactions / polls,
        };
        var workload = string.Create(CultureInfo.InvariantCulture,
            $"{watches} active watches across {keys} clients, each client with its own Poe key ({watches / keys} videos a key, Poe:RequestsPerMinute {budget} a key, so the budget does not bind), " +
            $"written straight into the bridge's tables (the watch and poll rows POST /v1/watches writes), all due at once; videos in progress for the whole run; Polling:Interval {interval.TotalSeconds:0} s; " +
            $"polls counted at the simulator over {window.TotalSeconds:0} s after {warmUp.TotalSeconds:0} s of warm-up, statements from pg_stat_statements over the same window. " +
            $"Baselines run after the bridge stopped, on the same videos: (a) {PollRunnerConcurrency} tasks GETting them in turn with one HttpClient (keys in turn, body parsed) for {baselineWindow.TotalSeconds:0} s; " +
            $"(b) one Hangfire job per poll (GET + UPDATE of the video's row) on Hangfire.PostgreSql in the same cluster: {HangfirePerPoll.Producers} tasks enqueue jobs while a server in the bench process " +
            $"with {HangfirePerPoll.Workers} workers (long polling at 200 ms) runs them, polls counted over {baselineWindow.TotalSeconds:0} s after 2 s, statements over the same window.");
        return new ScenarioResult(2, "poll engine", workload, (DateTimeOffset.UtcNow - started).TotalSeconds, figures, absolute);
    }

    private static async Task<double> BareLoopAsync(InProcessSimulator simulator, List<(string Name, string PoeKey)> clients, List<string> videos, TimeSpan window)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = PollRunnerConcurrency }) { BaseAddress = simulator.BaseUrl };
        using var stop = new CancellationTokenSource(window);
        var polls = 0;
        await Load.ForAllAsync(int.MaxValue, PollRunnerConcurrency, async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/videos/" + videos[i % videos.Count], UriKind.Relative));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", clients[i % clients.Count].PoeKey);
            using var response = await http.SendAsync(request);
            using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
            _ = body.RootElement.GetProperty("status").GetString();
            Interlocked.Increment(ref polls);
        }, stop.Token);
        return polls / window.TotalSeconds;
    }
}
