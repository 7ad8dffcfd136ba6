using System.Diagnostics;
using System.Net;
using Npgsql;
using Poe.Simulator.Videos;
using Poe.WebhookBridge.ReliabilityTests.Support;
using Poe.WebhookBridge.Tests.Support;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.ReliabilityTests.Database;

/// <summary>SPEC §2 (/health/ready, problems) with PostgreSQL stopped and started under a running bridge.</summary>
[Collection(ProcessTests.Name)]
public sealed class DatabaseOutageTests(ITestOutputHelper output)
{
    private const int Watches = 30;

    [Fact]
    public async Task While_PostgreSQL_is_down_the_bridge_is_not_ready_and_answers_503_then_recovers_by_itself_and_loses_nothing()
    {
        // A cluster of its own: stopping the shared one would break every other test running at the same time.
        var port = BridgeSettings.UnusedLoopbackPort();
        var admin = await PostgresAsync("start", port);
        try
        {
            var database = $"bridge_outage_{Guid.NewGuid():N}"[..30];
            await using (var connection = new NpgsqlConnection(admin))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
                await create.ExecuteNonQueryAsync();
            }

            var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
            await using var cluster = await BridgeCluster.StartAsync("outage", size: 1, database: connectionString);
            using var api = cluster.Api();
            for (var i = 0; i < Watches; i++)
            {
                cluster.Poe.Create($"video_o{i:00}", TimeSpan.FromSeconds(4 + (i % 6)), TimeSpan.Zero, i % 4 == 0 ? VideoOutcome.Failed : VideoOutcome.Completed);
                Assert.Equal(HttpStatusCode.Created, (await Registrations.TryRegisterAsync(api, $"video_o{i:00}", cluster.Receiver.Url))?.Status);
            }

            await WaitForReadinessAsync(api, HttpStatusCode.OK, TimeSpan.FromSeconds(30));
            await Task.Delay(1500);
            var down = Stopwatch.StartNew();
            await PostgresAsync("stop", port);
            var notReadyAfter = await WaitForReadinessAsync(api, HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(20));

            cluster.Poe.Create("video_during_outage", TimeSpan.FromSeconds(2), TimeSpan.Zero, VideoOutcome.Completed);
            using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/watches")
            {
                Content = new StringContent("""{"video_id":"video_during_outage","callback_url":"http://127.0.0.1:1/x"}""", System.Text.Encoding.UTF8, "application/json"),
            })
            {
                using var refused = await api.SendAsync(request);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            }

            await Task.Delay(3000);
            await PostgresAsync("start", port);
            var outage = down.Elapsed;
            var readyAgainAfter = await WaitForReadinessAsync(api, HttpStatusCode.OK, TimeSpan.FromSeconds(60));
            Assert.Equal(HttpStatusCode.Created, (await Registrations.TryRegisterAsync(api, "video_during_outage", cluster.Receiver.Url))?.Status);

            await Until.TrueAsync(
                async () => (await cluster.QueryAsync(
                    "SELECT (SELECT count(*) FROM bridge.watches WHERE status = 'active') + (SELECT count(*) FROM bridge.webhook_events WHERE status <> 'delivered')",
                    r => r.GetInt64(0)))[0] == 0,
                TimeSpan.FromSeconds(60),
                cluster.DescribeAsync);
            var watches = await cluster.QueryAsync("SELECT id FROM bridge.watches", r => r.GetString(0));
            var deliveries = Receipt.From(cluster.Receiver.Received);
            var lost = watches.Count(w => !deliveries.Any(d => d.WatchId == w));
            Summary.Report(output,
                $"database outage: down {outage.TotalSeconds:0.0} s, not ready {notReadyAfter.TotalSeconds:0.0} s after the stop, ready {readyAgainAfter.TotalSeconds:0.0} s after the start; " +
                $"registration during the outage: 503 problem; watches={watches.Count} deliveries={deliveries.Count} lost={lost}");
            Assert.Equal(Watches + 1, watches.Count);
            Assert.Equal(0, lost);
        }
        finally
        {
            await PostgresAsync("stop", port);
            var data = Path.Combine(Summary.RepositoryRoot(), ".pgdata", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    private static async Task<TimeSpan> WaitForReadinessAsync(HttpClient api, HttpStatusCode expected, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await api.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (response.StatusCode == expected)
                {
                    return clock.Elapsed;
                }
            }
            catch (HttpRequestException)
            {
            }

            Assert.True(clock.Elapsed < timeout, $"/health/ready did not answer {(int)expected} within {timeout}.");
            await Task.Delay(250);
        }
    }

    /// <summary>Runs <c>scripts/postgres.sh</c> on this test's own cluster; returns what it printed (the connection string on start).</summary>
    private static async Task<string> PostgresAsync(string action, int port)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Summary.RepositoryRoot() };
        start.ArgumentList.Add(Path.Combine(Summary.RepositoryRoot(), "scripts", "postgres.sh"));
        start.ArgumentList.Add(action);
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"postgres.sh {action} {port}: {stderr}");
        return stdout.Trim();
    }
}
