using System.Diagnostics;
using System.Net;
using Poe.WebhookBridge.ReliabilityTests.Support;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.ReliabilityTests.Database;

/// <summary>
/// PostgreSQL crashing (<c>pg_ctl stop -m immediate</c>: no checkpoint, crash recovery at the restart) while consumers
/// register and videos end: a 2xx is a commit, the outage is told as 503 problems, and the bridge heals by itself.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class DatabaseCrashTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ReadyBound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_PostgreSQL_crash_under_load_loses_no_acknowledged_watch_answers_503_problems_and_heals_within_10_s()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        await using var cluster = await BridgeCluster.StartAsync("crash", size: 1, database: await postgres.CreateDatabaseAsync("crash"));
        using var api = cluster.Api();
        await Readiness.WaitForAsync(api, HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        var load = RegistrationLoad.Start(cluster, api);
        await Task.Delay(TimeSpan.FromSeconds(5));

        var down = Stopwatch.StartNew();
        await postgres.CrashAsync();
        var crashedAt = DateTimeOffset.UtcNow;
        var notReadyAfter = await Readiness.WaitForAsync(api, HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(4));
        var restartedAt = DateTimeOffset.UtcNow;
        await postgres.RestartAsync();
        var outage = down.Elapsed;
        var readyAfter = await Readiness.WaitForAsync(api, HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(3));
        await load.StopAsync();

        // A consumer repeats what was not acknowledged with the same key: each video must then have exactly one watch.
        var answers = load.Answers;
        foreach (var unacknowledged in answers.Where(a => a.Status is not (HttpStatusCode.OK or HttpStatusCode.Created)))
        {
            Assert.Equal(HttpStatusCode.Created, (await Registrations.TryRegisterAsync(api, unacknowledged.VideoId, cluster.Receiver.Url))?.Status);
        }

        await Settled.WaitAsync(cluster, TimeSpan.FromSeconds(90));
        var (watches, lost) = await Settled.LostAsync(cluster);
        var acknowledged = answers.Where(a => a.WatchId is not null).ToList();
        var missing = acknowledged.Count(a => watches.All(w => w.Id != a.WatchId));
        var during = answers.Where(a => a.SentAt > crashedAt && a.SentAt < restartedAt).ToList();
        // Redelivered with the same webhook-id: the consumer's 2xx could not be recorded while PostgreSQL was down.
        var repeated = cluster.Receiver.Received.Count - Receipt.From(cluster.Receiver.Received).Select(r => r.WebhookId).Distinct().Count();
        Summary.Report(output,
            $"database crash: registrations under load={answers.Count} (2xx {acknowledged.Count}, sent during the outage {during.Count}: " +
            $"{string.Join(" ", during.GroupBy(a => a.Status is { } s ? $"{(int)s} {a.MediaType}" : "no answer").Select(g => $"{g.Count()}×{g.Key}"))}); " +
            $"down {outage.TotalSeconds:0.0} s, not ready {notReadyAfter.TotalSeconds:0.0} s after the crash, ready {readyAfter.TotalSeconds:0.0} s after the restart; " +
            $"2xx missing={missing} watches={watches.Count} videos with two watches={watches.GroupBy(w => w.Video).Count(g => g.Count() > 1)} deliveries={cluster.Receiver.Received.Count} (same webhook-id again: {repeated}) lost={lost}");
        Assert.Equal(0, missing);
        Assert.NotEmpty(during);
        Assert.All(during, a => Assert.Equal(HttpStatusCode.ServiceUnavailable, a.Status));
        Assert.All(answers.Where(a => a.WatchId is null), a => Assert.Equal((HttpStatusCode.ServiceUnavailable, "application/problem+json"), (a.Status, a.MediaType)));
        Assert.True(readyAfter < ReadyBound, $"Ready only {readyAfter} after PostgreSQL was back.");
        Assert.Equal(answers.Count, watches.Count);
        Assert.All(watches.GroupBy(w => w.Video), g => Assert.Single(g));
        Assert.Equal(0, lost);
    }
}
