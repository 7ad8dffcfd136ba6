using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.ReliabilityTests.Support;

/// <summary>
/// A PostgreSQL cluster of a test's own (<c>scripts/postgres.sh</c> on an unused port), so the test can stop or crash
/// it without breaking every other test that uses the shared one. Its data directory is removed at the end.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly int _port;

    private PrivatePostgres(int port, string admin)
    {
        _port = port;
        Admin = admin;
    }

    public string Admin { get; }

    public static async Task<PrivatePostgres> StartAsync()
    {
        var port = BridgeSettings.UnusedLoopbackPort();
        return new PrivatePostgres(port, await RunAsync("start", port));
    }

    public async Task<string> CreateDatabaseAsync(string purpose)
    {
        var database = $"bridge_{purpose}_{Guid.NewGuid():N}"[..30];
        await using (var connection = new NpgsqlConnection(Admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(Admin) { Database = database }.ConnectionString;
    }

    /// <summary>A clean shutdown (<c>pg_ctl stop -m fast</c>).</summary>
    public Task StopAsync() => RunAsync("stop", _port);

    /// <summary>A crash (<c>pg_ctl stop -m immediate</c>): no checkpoint, crash recovery at the next start.</summary>
    public Task CrashAsync() => RunAsync("crash", _port);

    /// <summary>Starts it again and forgets this process's pooled connections to the old server.</summary>
    public async Task RestartAsync()
    {
        await RunAsync("start", _port);
        NpgsqlConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        var data = Path.Combine(Summary.RepositoryRoot(), ".pgdata", _port.ToString(CultureInfo.InvariantCulture));
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Runs <c>scripts/postgres.sh</c>; returns what it printed (the connection string on start).</summary>
    private static async Task<string> RunAsync(string action, int port)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Summary.RepositoryRoot() };
        start.ArgumentList.Add(Path.Combine(Summary.RepositoryRoot(), "scripts", "postgres.sh"));
        start.ArgumentList.Add(action);
        start.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"postgres.sh {action} {port}: {stderr}");
        return stdout.Trim();
    }
}
