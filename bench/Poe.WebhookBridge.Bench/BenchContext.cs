using Poe.WebhookBridge.Bench.Infrastructure;

namespace Poe.WebhookBridge.Bench;

/// <summary>What every scenario shares: the repository, the private PostgreSQL, the mode, where bridge logs go.</summary>
public sealed record BenchContext(string Repo, Postgres Postgres, bool Quick, string LogDirectory)
{
    public Task<BridgeProcess> StartBridgeAsync(string name, string connectionString, Uri poeUrl, string poeKey, IDictionary<string, string> settings) =>
        BridgeProcess.StartAsync(Repo, name, connectionString, poeUrl, poeKey, settings, LogDirectory);

    /// <summary>A database for a bridge, its schema already current (a copy of <see cref="BridgeTemplate"/>).</summary>
    public Task<string> CreateBridgeDatabaseAsync(string name) => Postgres.CreateDatabaseAsync(name, BridgeTemplate.Name);

    public static void Say(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
}
