using System.Globalization;
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

    /// <summary>Claimed polls given back because they missed the send deadline: polls the budget paid for but Poe never saw.</summary>
    private const string UnsentCounter = "bridge_poll_unsent_total";

    public static async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var quick = context.Quick;
        var keys = quick ? 20 : 200;
        var watches = quick ? 2000 : 20_000;
        // Demand (watches ÷ interval: 10,000 polls/s) well above what the bridge sustains, and above the target (a quarter of
        // the bare loop, 6,000–8,000 polls/s here), so the figure is the bridge's ceiling, not the workload's.
        var interval = TimeSpan.FromSeconds(quick ? 1 : 2);
        // Each key's budget equals its share of the demand: a rate slot is reusable after 63 s, so polls may reach 95 % of
        // the demand before the budget binds; and there are no more slots (one row per permit) than that needs.
        var budget = (int)(watches / interval.TotalSeconds / keys * 60);
        var warmUp = context.SteadyStateWarmUp + TimeSpan.FromSeconds(1);
        var window = TimeSpan.FromSeconds(quick ? 3 : 10);
        var baselineWindow = TimeSpan.FromSeconds(quick ? 1 : 5);
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
        double polls, unsent, statements, transactions, bridgeCpu, simulatorCpu;
        await using (var bridge = await context.StartBridgeAsync("s2", db, simulator.BaseUrl, "poe-key-s2", settings))
        {
            BenchContext.Say($"scenario 2: {watches} watches across {keys} keys, interval {interval.TotalSeconds:0} s (demand {watches / interval.TotalSeconds:0} polls/s)");
            await Seed.ActiveWatchesAsync(db, watches, "video_s2_", new Uri("http://127.0.0.1:9/hooks/s2"), clients, TimeSpan.Zero);
            await Task.Delay(warmUp);
            var from = DateTimeOffset.UtcNow;
            var before = await context.Postgres.CountersAsync(db);
            using var http = new HttpClient();
            var unsentBefore = await ScaleProbes.CounterAsync(http, bridge.Url, UnsentCounter);
            var (cpuBefore, benchCpuBefore) = (bridge.Footprint().Cpu, BenchCpu());
            await Task.Delay(window);
            var (cpuAfter, benchCpuAfter) = (bridge.Footprint().Cpu, BenchCpu());
            unsent = await ScaleProbes.CounterAsync(http, bridge.Url, UnsentCounter) - unsentBefore;
            var after = await context.Postgres.CountersAsync(db);
            var keyIds = clients.Select(c => ApiKeys.KeyId(c.PoeKey)).ToHashSet();
            polls = simulator.Requests.Since(from.ToUnixTimeMilliseconds()).Count(e => e.KeyId is { } k && keyIds.Contains(k) && e.AtMs < (from + window).ToUnixTimeMilliseconds());
            (statements, transactions) = (after.Statements - before.Statements, after.Transactions - before.Transactions);
            // Meanwhile this process only serves the simulator: its CPU per poll is the simulator's, for context.
            (bridgeCpu, simulatorCpu) = ((cpuAfter - cpuBefore).TotalMicroseconds / polls, (benchCpuAfter - benchCpuBefore).TotalMicroseconds / polls);
        }

        var rate = polls / window.TotalSeconds;
        BenchContext.Say($"scenario 2: bridge {rate:0} polls/s, {unsent:0} claimed polls given back unsent, {bridgeCpu:0} µs CPU a poll (simulator {simulatorCpu:0} µs); bare HttpClient loop next");
        var (bare, bareCpu) = await BarePollLoop.MeasureAsync(context.Repo, simulator.BaseUrl, "poe-key-s2-", keys, "video_s2_", watches, context.SteadyStateWarmUp, baselineWindow, PollRunnerConcurrency);
        BenchContext.Say($"scenario 2: bare loop {bare:0} polls/s, {bareCpu:0} µs CPU a poll");
        var (hangfire, hangfireStatements) = await HangfirePerPoll.MeasureAsync(context, simulator, "poe-key-s2-hangfire", videos, baselineWindow);
        var figures = new List<Figure>
        {
            new(2, $"polls/s, {keys} keys saturated", rate, $"bare HttpClient loop ({PollRunnerConcurrency} concurrent)", bare, "/s", true, "≥ 0.25", 0.25,
                $"{polls:0} polls in {window.TotalSeconds:0} s, {unsent:0} claimed polls given back unsent ({UnsentCounter}); demand {watches / interval.TotalSeconds:0}/s; budget {keys} × {budget} rpm"),
            new(2, "CPU per poll", bridgeCpu, $"bare HttpClient loop", bareCpu, "µs", false, "≤ 4", 4,
                $"each process's CPU time ÷ its polls in its window; the simulator spent {simulatorCpu:0} µs a poll while the bridge ran"),
            new(2, "polls/s vs one Hangfire job per poll", rate, $"Hangfire job per poll ({HangfirePerPoll.Workers} workers)", hangfire, "/s", true, "≥ 20", 20,
                $"Hangfire: median of {HangfirePerPoll.Windows} windows of {baselineWindow.TotalSeconds:0} s"),
            new(2, "PostgreSQL statements per poll", statements / polls, "Hangfire job per poll", hangfireStatements, "stmt", false, "–", null,
                $"bridge: {statements:0} statements (pg_stat_statements calls) and {transactions / polls:0.00} commits per poll in the window"),
        };
        var absolute = new Dictionary<string, double>
        {
            ["keys"] = keys, ["watches"] = watches, ["polls_per_s"] = rate, ["unsent_polls"] = unsent, ["bare_polls_per_s"] = bare, ["hangfire_polls_per_s"] = hangfire, ["hangfire_statements_per_poll"] = hangfireStatements,
            ["statements_per_poll"] = statements / polls, ["transactions_per_poll"] = transactions / polls,
            ["cpu_us_per_poll"] = bridgeCpu, ["bare_cpu_us_per_poll"] = bareCpu, ["simulator_cpu_us_per_poll"] = simulatorCpu,
        };
        var workload = string.Create(CultureInfo.InvariantCulture,
            $"{watches} active watches across {keys} clients, each client with its own Poe key ({watches / keys} videos a key, Poe:RequestsPerMinute {budget} a key: its share of the demand, so the budget binds only at 95 % of it), " +
            $"written straight into the bridge's tables (the watch and poll rows POST /v1/watches writes), all due at once; videos in progress for the whole run; Polling:Interval {interval.TotalSeconds:0} s (demand {watches / interval.TotalSeconds:0} polls/s); " +
            $"polls counted at the simulator over {window.TotalSeconds:0} s after {warmUp.TotalSeconds:0} s of warm-up, statements from pg_stat_statements and the bridge process's CPU time (utime + stime) over the same window. " +
            $"Baselines run after the bridge stopped, on the same videos: (a) a process of its own whose {PollRunnerConcurrency} tasks GET them in turn with one HttpClient (keys in turn, body parsed), measured over {baselineWindow.TotalSeconds:0} s after {context.SteadyStateWarmUp.TotalSeconds:0} s, with its CPU time; " +
            $"(b) one Hangfire job per poll (GET + UPDATE of the video's row) on Hangfire.PostgreSql in the same cluster: {HangfirePerPoll.Producers} tasks enqueue jobs, at most {HangfirePerPoll.Backlog} not yet finished, " +
            $"while a server in the bench process with {HangfirePerPoll.Workers} workers (long polling at 200 ms) runs them, polls counted in {HangfirePerPoll.Windows} windows of {baselineWindow.TotalSeconds:0} s after 2 s, the median taken, statements over the same windows.");
        return new ScenarioResult(2, "poll engine", workload, (DateTimeOffset.UtcNow - started).TotalSeconds, figures, absolute);
    }

    private static TimeSpan BenchCpu()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
