using System.Diagnostics;
using System.Globalization;
using Poe.WebhookBridge.Bench;
using Poe.WebhookBridge.Bench.Infrastructure;
using Poe.WebhookBridge.Bench.Reporting;
using Poe.WebhookBridge.Bench.Scenarios;

// dotnet run -c Release --project bench/Poe.WebhookBridge.Bench -- [--quick] [--scenario N]...
// The baselines that run as processes of their own (BenchChild).
if (args is [BarePollLoop.Command, .. var loop])
{
    return await BarePollLoop.RunChildAsync(loop);
}

if (args is [PeerRegistrationEndpoint.Command, .. var peer])
{
    return await PeerRegistrationEndpoint.RunChildAsync(peer);
}

var quick = args.Contains("--quick");
var only = args.Select((a, i) => (a, i)).Where(x => x.a == "--scenario" && x.i + 1 < args.Length)
    .Select(x => int.Parse(args[x.i + 1], CultureInfo.InvariantCulture)).ToHashSet();
var scenarios = new (int Number, Func<BenchContext, Task<ScenarioResult>> Run)[]
{
    (4, BudgetLatency.RunAsync),
    (3, AmpleLatency.RunAsync),
    (1, Registration.RunAsync),
    (5, Delivery.RunAsync),
    (2, PollEngine.RunAsync),
    (6, Footprint.RunAsync),
    (7, SharedBudget.RunAsync),
    (8, Scale.RunAsync),
};

var repo = FindRepo();
var port = int.Parse(Environment.GetEnvironmentVariable("BENCH_PG_PORT") ?? "55490", CultureInfo.InvariantCulture);
var logs = Path.Combine(Path.GetTempPath(), $"poe-bench-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
var postgres = new Postgres(repo, port);
BenchContext.Say($"PostgreSQL: private cluster on 127.0.0.1:{port}; bridge logs in {logs}");
await postgres.StartAsync();
var context = new BenchContext(repo, postgres, quick, logs);
var results = new List<ScenarioResult>();
var failed = new List<string>();
var clock = Stopwatch.StartNew();
try
{
    await BridgeTemplate.CreateAsync(context);
    BenchContext.Say($"bridge schema template ready after {clock.Elapsed.TotalSeconds:0} s");
    foreach (var (number, run) in scenarios.Where(s => only.Count == 0 || only.Contains(s.Number)))
    {
        try
        {
            results.Add(await run(context));
        }
        catch (Exception e)
        {
            failed.Add($"scenario {number}: {e.GetType().Name}: {e.Message}");
            BenchContext.Say($"scenario {number} FAILED: {e}");
        }
    }
}
finally
{
    await postgres.StopAsync();
}

var machine = new Dictionary<string, string>
{
    ["cores"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
    ["memory_gib"] = (GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024)).ToString("0", CultureInfo.InvariantCulture),
    ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
    ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
    ["total_seconds"] = clock.Elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture),
};
Console.WriteLine(Report.Markdown(results));
if (results.Count > 0)
{
    var path = await Report.WriteAsync(Path.Combine(repo, "bench/results"), quick, results, machine);
    BenchContext.Say($"wrote {path} ({clock.Elapsed.TotalSeconds:0} s in all)");
}

foreach (var failure in failed)
{
    Console.Error.WriteLine("FAILED " + failure);
}

return failed.Count == 0 ? 0 : 1;

static string FindRepo()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Poe.WebhookBridge.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("Run the bench from inside the repository (Poe.WebhookBridge.sln not found above it).");
}
