using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Poe.WebhookBridge.Polling;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Tests.Watches;

/// <summary>
/// Registrations without an idempotency record wait for a batch (<see cref="WatchInserts"/>). When the database does not
/// answer, the ones still waiting must fail with the batches ahead of them, not after those failed in turn: a request
/// that needs the database answers within its time-outs (guarantees.md).
/// </summary>
public sealed class GroupCommitTests
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task While_the_database_does_not_answer_a_registration_waiting_behind_busy_writers_fails_with_the_first_of_them()
    {
        // A server that accepts connections and never answers them, as PostgreSQL behind a partition.
        using var blackhole = new TcpListener(IPAddress.Loopback, 0);
        blackhole.Start();
        var accepted = new List<Socket>();
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = ((IPEndPoint)blackhole.LocalEndpoint).Port, Username = "bridge", Password = "unused",
            Timeout = (int)ConnectTimeout.TotalSeconds, Pooling = false,
        }.ConnectionString);
        using var inserts = new WatchInserts(dataSource, Options.Create(new PollingOptions()), NullLogger<WatchInserts>.Instance);
        await inserts.StartAsync(CancellationToken.None);
        var clock = Stopwatch.StartNew();

        // One registration per writer, each taken into a batch of its own (its connection reaches the server) before the next.
        var busy = new List<Task<TimeSpan>>();
        for (var writer = 0; writer < 4; writer++)
        {
            busy.Add(FailedAfterAsync(inserts, $"video_busy_{writer}", clock));
            accepted.Add(await blackhole.AcceptSocketAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        }

        var waiting = await FailedAfterAsync(inserts, "video_waiting", clock);
        var firstBatchFailed = (await Task.WhenAll(busy)).Min();
        foreach (var socket in accepted)
        {
            socket.Dispose();
        }

        await inserts.StopAsync(CancellationToken.None);
        Assert.True(firstBatchFailed >= ConnectTimeout * 0.9, $"the first batch failed after {firstBatchFailed}, before the connection time-out");
        // Taken by the first free writer instead, it would fail a whole connection time-out later.
        Assert.True(waiting < firstBatchFailed + ConnectTimeout / 2,
            $"the waiting registration failed {waiting - firstBatchFailed} after the first batch did (connection time-out {ConnectTimeout})");
    }

    private static async Task<TimeSpan> FailedAfterAsync(WatchInserts inserts, string videoId, Stopwatch clock)
    {
        var watch = new Watch
        {
            Id = "watch_" + videoId, ClientName = "shop", VideoId = videoId, CallbackUrl = "https://app.example/hooks/poe", PoeKeyId = "key",
            Events = [.. WatchEventTypes.Default], Metadata = [], CreatedAt = DateTimeOffset.UtcNow,
        };
        await Assert.ThrowsAnyAsync<Exception>(() => inserts.TryInsertAsync(watch, DateTimeOffset.UtcNow, CancellationToken.None));
        return clock.Elapsed;
    }
}
