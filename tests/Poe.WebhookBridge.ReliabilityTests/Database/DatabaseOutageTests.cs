using System.Diagnostics;
using System.Net;
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
        await using var postgres = await PrivatePostgres.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync("outage");
        await using var cluster = await BridgeCluster.StartAsync("outage", size: 1, database: connectionString);
        using var api = cluster.Api();
        for (var i = 0; i < Watches; i++)
        {
            cluster.Poe.Create($"video_o{i:00}", TimeSpan.FromSeconds(4 + (i % 6)), TimeSpan.Zero, i % 4 == 0 ? VideoOutcome.Failed : VideoOutcome.Completed);
            Assert.Equal(HttpStatusCode.Created, (await Registrations.TryRegisterAsync(api, $"video_o{i:00}", cluster.Receiver.Url))?.Status);
        }

        await Readiness.WaitForAsync(api, HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        await Task.Delay(1500);
        var down = Stopwatch.StartNew();
        await postgres.StopAsync();
        var notReadyAfter = await Readiness.WaitForAsync(api, HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(20));

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
        await postgres.RestartAsync();
        var outage = down.Elapsed;
        var readyAgainAfter = await Readiness.WaitForAsync(api, HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.Created, (await Registrations.TryRegisterAsync(api, "video_during_outage", cluster.Receiver.Url))?.Status);

        await Settled.WaitAsync(cluster, TimeSpan.FromSeconds(60));
        var (watches, lost) = await Settled.LostAsync(cluster);
        Summary.Report(output,
            $"database outage: down {outage.TotalSeconds:0.0} s, not ready {notReadyAfter.TotalSeconds:0.0} s after the stop, ready {readyAgainAfter.TotalSeconds:0.0} s after the start; " +
            $"registration during the outage: 503 problem; watches={watches.Count} deliveries={cluster.Receiver.Received.Count} lost={lost}");
        Assert.Equal(Watches + 1, watches.Count);
        Assert.Equal(0, lost);
    }
}
