using System.Diagnostics;
using Npgsql;

namespace Poe.WebhookBridge.Bench.Infrastructure;

/// <summary>The private cluster of scripts/postgres.sh; each scenario gets fresh databases, dropped afterwards.</summary>
public sealed class Postgres(string repo, int port)
{
    public string AdminConnectionString { get; private set; } = "";

    public async Task StartAsync()
    {
        var output = await Shell.RunAsync("bash", ["scripts/postgres.sh", "start", port.ToString()], repo);
        AdminConnectionString = output.Trim().Split('\n')[^1] + ";Pooling=false";
        // Statements per poll (scenario 2) are counted by pg_stat_statements, which must be preloaded: once per cluster.
        if (!(await ScalarAsync<string>("SHOW shared_preload_libraries")).Contains("pg_stat_statements", StringComparison.Ordinal))
        {
            await ExecuteAsync("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
            await Shell.RunAsync("bash", ["scripts/postgres.sh", "restart", port.ToString()], repo);
        }

        await ExecuteAsync("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    }

    /// <summary>Statements executed (pg_stat_statements calls) and transactions committed in a database so far.</summary>
    public async Task<(long Statements, long Transactions)> CountersAsync(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT (SELECT coalesce(sum(s.calls), 0)::bigint FROM pg_stat_statements s WHERE s.dbid = d.oid),
                   (SELECT xact_commit FROM pg_stat_database WHERE datid = d.oid)
            FROM pg_database d WHERE d.datname = $1
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    public Task StopAsync() => Shell.RunAsync("bash", ["scripts/postgres.sh", "stop", port.ToString()], repo);

    /// <summary>Creates a database, empty or as a copy of <paramref name="template"/>, and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, string? template = null)
    {
        await ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        await ExecuteAsync(template is null ? $"CREATE DATABASE {name}" : $"CREATE DATABASE {name} TEMPLATE {template}");
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public Task DropDatabaseAsync(string name) => ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Runs a statement in the admin database or in <paramref name="database"/>, on a connection not kept open afterwards.</summary>
    public async Task ExecuteAsync(string sql, string? database = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString);
        builder.Database = database ?? builder.Database;
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

public static class Shell
{
    public static async Task<string> RunAsync(string file, string[] args, string workingDirectory)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}");
        }

        return await stdout;
    }
}
