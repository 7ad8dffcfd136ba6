using DotNet.Testcontainers.Configurations;
using Npgsql;
using Testcontainers.PostgreSql;

namespace Poe.WebhookBridge.Tests.Support;

/// <summary>
/// The PostgreSQL server of this test run, resolved once: <c>BRIDGE_TEST_POSTGRES</c> (an admin connection string, as
/// <c>scripts/test.sh</c> sets it), else a Testcontainers container when a Docker engine is reachable.
/// Every fixture gets its own fresh database on it.
/// </summary>
public static class PostgresServer
{
    public const string EnvironmentVariable = "BRIDGE_TEST_POSTGRES";

    private static readonly Lazy<Task<string>> Admin = new(ResolveAsync);

    public static Task<string> AdminConnectionStringAsync() => Admin.Value;

    /// <summary>Creates an empty database named after <paramref name="purpose"/> (plus a random suffix) and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string purpose)
    {
        var admin = await AdminConnectionStringAsync();
        var name = $"bridge_test_{Sanitize(purpose)}_{Guid.NewGuid().ToString("N")[..12]}";
        await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\"");
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing whatever connections are still open on it.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await ExecuteAsync(await AdminConnectionStringAsync(), $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    private static async Task<string> ResolveAsync()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        if (TestcontainersSettings.OS.DockerEndpointAuthConfig is null)
        {
            throw new InvalidOperationException(
                $"No PostgreSQL for the tests: {EnvironmentVariable} is not set and no Docker engine is reachable. " +
                $"Run the tests with 'bash scripts/test.sh' (it starts a private PostgreSQL), or set {EnvironmentVariable} to an admin connection string.");
        }

        // Testcontainers' reaper removes the container when the test process ends.
        var container = new PostgreSqlBuilder("postgres:17-alpine").Build();
        await container.StartAsync();
        return container.GetConnectionString();
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string Sanitize(string purpose) =>
        new([.. purpose.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').Take(20)]);
}
