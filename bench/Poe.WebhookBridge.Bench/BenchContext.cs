using Poe.WebhookBridge.Bench.Infrastructure;

namespace Poe.WebhookBridge.Bench;

/// <summary>What every scenario shares: the repository, the private PostgreSQL, the mode, where bridge logs go.</summary>
public sealed record BenchContext(string Repo, Postgres Postgres, bool Quick, string LogDirectory)
{
    public Task<BridgeProcess> StartBridgeAsync(string name, string connectionString, Uri poeUrl, string poeKey, IDictionary<string, string> settings) =>
        BridgeProcess.StartAsync(Repo, name, connectionString, poeUrl, poeKey, settings, LogDirectory);

    /// <summary>A database for a bridge, its schema already current (a copy of <see cref="BridgeTemplate"/>).</summary>
    public Task<string> CreateBridgeDatabaseAsync(string name) => Postgres.CreateDatabaseAsync(name, BridgeTemplate.Name);

    /// <summary>
    /// How long a throughput scenario (1, 2) loads a server, and its baseline alike, before measuring: in the full run,
    /// until the JIT has settled. For about a minute after the first requests the runtime recompiles hot methods at
    /// higher tiers, which cost the bridge 0.44 s of CPU a second of 0.66 two seconds in, and the small baselines far
    /// less; a service pays it once, so a window that starts sooner measures start-up, not throughput.
    /// </summary>
    public TimeSpan SteadyStateWarmUp => Quick ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(60);

    public static void Say(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
}
