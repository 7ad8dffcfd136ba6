using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Operations;

/// <summary>
/// SPEC §7 "Containers", checked without a Docker engine: docker-compose validates the compose file, the Dockerfile
/// builds with the README's commands, and its HEALTHCHECK command is run against a real bridge process.
/// </summary>
public sealed partial class ContainerFilesTests
{
    private static readonly Dictionary<string, string> ComposeSecrets = new()
    {
        ["POSTGRES_PASSWORD"] = "pg-password",
        ["POE_API_KEY"] = "poe-key",
        ["BRIDGE_CLIENT_API_KEY"] = "client-key",
        ["BRIDGE_CLIENT_SIGNING_SECRET"] = "whsec_c2lnbmluZy1zZWNyZXQtb2YtYXQtbGVhc3QtMjQ=",
        ["DASHBOARD_PASSWORD"] = "dashboard-password",
        ["BRIDGE_KEY_ENCRYPTION_KEY"] = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    };

    private static string Repo => Repository.Root;

    [Fact]
    public async Task The_compose_file_is_valid_and_wires_the_simulator_as_Poe_only_when_asked()
    {
        var (valid, _) = await DockerComposeAsync(ComposeSecrets, "config", "-q");
        var (real, realConfig) = await DockerComposeAsync(ComposeSecrets, "config");
        var (demo, demoConfig) = await DockerComposeAsync(new(ComposeSecrets) { ["POE_BASE_URL"] = "http://simulator:8080" }, "--profile", "demo", "config");

        Assert.Equal(0, valid);
        Assert.Equal(0, real);
        Assert.Contains("Poe__BaseUrl: https://api.poe.com", realConfig, StringComparison.Ordinal);
        Assert.Equal(0, demo);
        Assert.Contains("Poe__BaseUrl: http://simulator:8080", demoConfig, StringComparison.Ordinal);
        Assert.Contains("condition: service_healthy", realConfig, StringComparison.Ordinal);
        Assert.Contains("pg_isready", realConfig, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_compose_file_refuses_to_start_without_a_secret_and_names_it()
    {
        var (exitCode, output) = await DockerComposeAsync(new(ComposeSecrets.Where(s => s.Key != "DASHBOARD_PASSWORD")), "config", "-q");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("DASHBOARD_PASSWORD", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_Dockerfile_publishes_as_the_README_says_and_runs_as_a_non_root_user_on_port_8080()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Repo, "Dockerfile"));
        var readme = File.ReadAllText(Path.Combine(Repo, "README.md"));

        foreach (var command in new[] { "dotnet publish src/Poe.WebhookBridge -c Release", "dotnet publish src/Poe.Simulator -c Release" })
        {
            Assert.Contains(command, dockerfile, StringComparison.Ordinal);
            Assert.Contains(command, readme, StringComparison.Ordinal);
        }

        Assert.Matches(@"(?m)^FROM mcr\.microsoft\.com/dotnet/sdk:10\.0 AS build$", dockerfile);
        Assert.Matches(@"(?m)^FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0 AS runtime$", dockerfile);
        Assert.Matches(@"(?m)^USER \$APP_UID$", dockerfile);
        Assert.Matches(@"(?m)^EXPOSE 8080$", dockerfile);
        Assert.Contains("ASPNETCORE_URLS=http://+:8080", dockerfile, StringComparison.Ordinal);
        Assert.Contains("appsettings.json", dockerfile, StringComparison.Ordinal);
        // The last stage is what a plain `docker build .` produces.
        Assert.Equal("FROM runtime AS bridge", dockerfile.Split('\n').Last(line => line.StartsWith("FROM ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_Dockerfile_health_check_passes_against_a_live_bridge_and_fails_once_it_is_gone()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("healthcheck");
        try
        {
            var bridge = await BridgeProcess.StartAsync(BridgeSettings.For(connectionString, TestClient.Generate("shop")));
            var command = HealthCheckCommand(bridge.BaseUrl.Port);

            var whileUp = await RunAsync(command[0], command[1..]);
            await bridge.DisposeAsync();
            var whenGone = await RunAsync(command[0], command[1..]);

            Assert.True(whileUp.ExitCode == 0, whileUp.Output);
            Assert.NotEqual(0, whenGone.ExitCode);
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(connectionString);
        }
    }

    /// <summary>The exec form of the Dockerfile's HEALTHCHECK, aimed at <paramref name="port"/> instead of the image's 8080.</summary>
    private static string[] HealthCheckCommand(int port)
    {
        var dockerfile = File.ReadAllText(Path.Combine(Repo, "Dockerfile")).Replace("\\\n", " ", StringComparison.Ordinal);
        var json = HealthCheck().Match(dockerfile).Groups["exec"].Value;
        var command = JsonSerializer.Deserialize<string[]>(json)!;
        Assert.Contains(command, part => part.Contains("/health/live", StringComparison.Ordinal));
        return [.. command.Select(part => part.Replace("/8080", $"/{port.ToString(CultureInfo.InvariantCulture)}", StringComparison.Ordinal))];
    }

    private static Task<(int ExitCode, string Output)> DockerComposeAsync(Dictionary<string, string> environment, params string[] arguments) =>
        RunAsync("docker-compose", ["-f", Path.Combine(Repo, "docker-compose.yml"), .. arguments], environment);

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repo };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            // Only these variables: nothing from the developer's shell or a .env file may satisfy the compose file.
            start.Environment.Clear();
            start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"'{file}' is not installed here (on Debian: apt-get install {file}); .ci/run installs it.", ex);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await output + await error);
        }
    }

    [GeneratedRegex(@"(?m)^HEALTHCHECK\b[^\n]*?CMD (?<exec>\[.*\])\s*$")]
    private static partial Regex HealthCheck();
}
