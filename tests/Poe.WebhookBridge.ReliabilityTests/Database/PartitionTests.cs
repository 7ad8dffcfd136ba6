using System.Diagnostics;
using System.Net;
using Npgsql;
using Poe.Simulator.Videos;
using Poe.WebhookBridge.ReliabilityTests.Support;
using Poe.WebhookBridge.Tests.Support;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.ReliabilityTests.Database;

/// <summary>
/// PostgreSQL behind a network partition that drops traffic silently (no reset, no close) for 30 s: the bridge's
/// time-outs, not the network, end every wait; the process stays responsive; it recovers by itself.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class PartitionTests(ITestOutputHelper output)
{
    private const int Watches = 30;
    private static readonly TimeSpan Partition = TimeSpan.FromSeconds(30);

    // The bridge's documented defaults (README, docs/guarantees.md): connection 5 s, statement 5 s, cancellation request
    // 5 s, and 1 s for the rest of the request.
    private static readonly TimeSpan RequestBound = TimeSpan.FromSeconds(5 + 5 + 5 + 1);
    private static readonly TimeSpan NotReadyBound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LiveBound = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_silent_partition_from_PostgreSQL_bounds_every_request_keeps_the_process_live_and_heals_within_10_s()
    {
        var database = await PostgresServer.CreateDatabaseAsync("partition");
        var direct = new NpgsqlConnectionStringBuilder(database);
        await using var proxy = BlackholeProxy.Start(direct.Port);
        var proxied = new NpgsqlConnectionStringBuilder(database) { Host = "127.0.0.1", Port = proxy.Port, MaxPoolSize = 30 }.ConnectionString;
        await using var cluster = await BridgeCluster.StartAsync("partition", size: 1, configure: s => s["ConnectionStrings:Postgres"] = proxied, database: database);
        using var api = cluster.Api();
        TimeSpan liveBefore;
        for (var i = 0; i < Watches; i++)
        {
            cluster.Poe.Create($"video_p{i:00}", TimeSpan.FromSeconds(5 + (i % 20)), TimeSpan.Zero, i % 4 == 0 ? VideoOutcome.Failed : VideoOutcome.Completed);
            Assert.Equal(HttpStatusCode.Created, (await Registrations.TryRegisterAsync(api, $"video_p{i:00}", cluster.Receiver.Url))?.Status);
        }

        await Readiness.WaitForAsync(api, HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        // The same probe before the partition: what this machine's load alone costs /health/live.
        using (var before = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            liveBefore = await LivenessProbe.RunAsync(cluster.Instance(0).BaseUrl, before.Token);
        }

        using var probing = new CancellationTokenSource();
        var live = LivenessProbe.RunAsync(cluster.Instance(0).BaseUrl, probing.Token);

        var partitioned = Stopwatch.StartNew();
        proxy.Blackhole();
        var requests = Enumerable.Range(0, 8).Select(i => TimedAsync(api, i % 2 == 0 ? Register($"video_cut{i}", cluster.Receiver.Url) : Get("/v1/watches?limit=5"))).ToList();
        var notReadyAfter = await Readiness.WaitForAsync(api, HttpStatusCode.ServiceUnavailable, Partition);
        var answered = await Task.WhenAll(requests);
        await Task.Delay(Partition - partitioned.Elapsed);

        proxy.Forward();
        var healed = Stopwatch.StartNew();
        var readyAfter = await Readiness.WaitForAsync(api, HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        cluster.Poe.Create("video_after", TimeSpan.FromSeconds(2), TimeSpan.Zero, VideoOutcome.Completed);
        while ((await Registrations.TryRegisterAsync(api, "video_after", cluster.Receiver.Url))?.Status != HttpStatusCode.Created && healed.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(250);
        }

        var registeringAfter = healed.Elapsed;
        await probing.CancelAsync();
        var slowestLive = await live;

        await Settled.WaitAsync(cluster, TimeSpan.FromSeconds(90));
        var (watches, lost) = await Settled.LostAsync(cluster);
        var slowest = answered.Max(a => a.Took);
        Summary.Report(output,
            $"partition: silent for {Partition.TotalSeconds:0} s; not ready after {notReadyAfter.TotalSeconds:0.0} s; requests during it: {string.Join("/", answered.Select(a => (int)a.Status).Distinct().Order())} " +
            $"slowest {slowest.TotalSeconds:0.0} s (bound {RequestBound.TotalSeconds:0} s); slowest /health/live {slowestLive.TotalMilliseconds:0} ms (before it {liveBefore.TotalMilliseconds:0} ms); " +
            $"ready {readyAfter.TotalSeconds:0.0} s and first 201 {registeringAfter.TotalSeconds:0.0} s after it healed; watches={watches.Count} deliveries={cluster.Receiver.Received.Count} lost={lost}");
        Assert.True(notReadyAfter < NotReadyBound, $"/health/ready turned 503 only {notReadyAfter} into the partition.");
        Assert.All(answered, a => Assert.Equal((HttpStatusCode.ServiceUnavailable, "application/problem+json"), (a.Status, a.MediaType)));
        Assert.True(slowest < RequestBound, $"A request took {slowest} during the partition (bound {RequestBound}).");
        Assert.True(slowestLive < LiveBound, $"/health/live took {slowestLive} during the partition.");
        Assert.True(readyAfter < RecoveryBound && registeringAfter < RecoveryBound, $"Ready {readyAfter} and registering {registeringAfter} after the partition healed.");
        Assert.Equal(Watches + 1, watches.Count);
        Assert.Equal(0, lost);
    }

    // With an Idempotency-Key, as a consumer should send it: the registration is one transaction, so a statement the
    // partition held back and delivered late cannot commit on its own.
    private static Func<HttpRequestMessage> Register(string videoId, string callbackUrl) => () => new HttpRequestMessage(HttpMethod.Post, "/v1/watches")
    {
        Content = new StringContent($$"""{"video_id":"{{videoId}}","callback_url":"{{callbackUrl}}"}""", System.Text.Encoding.UTF8, "application/json"),
        Headers = { { "Idempotency-Key", "register-" + videoId } },
    };

    private static Func<HttpRequestMessage> Get(string path) => () => new HttpRequestMessage(HttpMethod.Get, path);

    private static async Task<(HttpStatusCode Status, string? MediaType, TimeSpan Took)> TimedAsync(HttpClient api, Func<HttpRequestMessage> create)
    {
        var clock = Stopwatch.StartNew();
        using var request = create();
        using var response = await api.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, clock.Elapsed);
    }
}
