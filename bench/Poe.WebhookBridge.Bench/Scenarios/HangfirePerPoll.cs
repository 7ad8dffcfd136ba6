using System.Net.Http.Headers;
using System.Text.Json;
using Hangfire;
using Hangfire.PostgreSql;
using Npgsql;
using Poe.Simulator;
using Poe.Simulator.Auth;
using Poe.WebhookBridge.Bench.Infrastructure;
using Poe.WebhookBridge.Bench.Reporting;

namespace Poe.WebhookBridge.Bench.Scenarios;

/// <summary>
/// Scenario 2's second baseline, the design a Hangfire user writes first: one background job per poll, on Hangfire's
/// PostgreSQL storage; the job GETs the video and UPDATEs its row. Producers enqueue jobs while a server in this process
/// runs them, with back-pressure: at most <see cref="Backlog"/> jobs enqueued and not yet finished, so the storage is not
/// spent on a queue that only grows and the figure counts jobs that ran. Polls/s are counted at the simulator over
/// <see cref="Windows"/> consecutive windows; the figure is their median.
/// </summary>
public sealed class HangfirePerPoll(HttpClient http, NpgsqlDataSource data, SemaphoreSlim backlog)
{
    public const int Workers = 20;
    public const int Producers = 8;
    public const int Windows = 3;

    /// <summary>Twice the workers: each finds its next job queued, and no more waits than that.</summary>
    public const int Backlog = 2 * Workers;

    public static async Task<(double PollsPerSecond, double StatementsPerPoll)> MeasureAsync(BenchContext context, InProcessSimulator simulator, string poeKey, IReadOnlyList<string> videos, TimeSpan window)
    {
        // A copy of the bridge's template: Hangfire's schema is installed already, as it is for the bridge.
        var db = await context.CreateBridgeDatabaseAsync("bench_s2_hangfire");
        await using var data = NpgsqlDataSource.Create(db);
        await using (var create = data.CreateCommand("CREATE TABLE polls (video_id text PRIMARY KEY, last_status text, poll_count int NOT NULL DEFAULT 0, polled_at timestamptz)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using (var insert = data.CreateCommand("INSERT INTO polls (video_id) SELECT unnest($1::text[])"))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = videos.ToArray() });
            await insert.ExecuteNonQueryAsync();
        }

        var storage = new PostgreSqlStorage(new Connections(data), new PostgreSqlStorageOptions
        {
            EnableLongPolling = true,
            QueuePollInterval = TimeSpan.FromMilliseconds(200),
        });
        var client = new BackgroundJobClient(storage);
        using var http = new HttpClient { BaseAddress = simulator.BaseUrl, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", poeKey);
        using var backlog = new SemaphoreSlim(Backlog);
        var from = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2);
        var counters = new List<(long Statements, long Transactions)>();
        using (var stop = new CancellationTokenSource())
        using (new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = Workers, Activator = new Only(new HangfirePerPoll(http, data, backlog)) }, storage))
        {
            // Each poll is an enqueue (what the scheduler of this design does when a video is due) and a job run, on the same storage.
            // Enqueue blocks: on threads of their own, so the simulator and the jobs' continuations keep the thread pool.
            var producers = Task.WhenAll(Enumerable.Range(0, Producers).Select(p => Task.Factory.StartNew(() =>
            {
                for (var i = p; !stop.IsCancellationRequested; i += Producers)
                {
                    if (!backlog.Wait(TimeSpan.FromMilliseconds(100)))
                    {
                        i -= Producers;
                        continue;
                    }

                    var videoId = videos[i % videos.Count];
                    client.Enqueue<HangfirePerPoll>(job => job.PollAsync(videoId));
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)));
            await Task.Delay(from - DateTimeOffset.UtcNow);
            counters.Add(await context.Postgres.CountersAsync(db));
            for (var w = 0; w < Windows; w++)
            {
                await Task.Delay(from + ((w + 1) * window) - DateTimeOffset.UtcNow);
                counters.Add(await context.Postgres.CountersAsync(db));
            }

            await stop.CancelAsync();
            await producers;
        }

        var keyId = ApiKeys.KeyId(poeKey);
        var polls = simulator.Requests.Since(from.ToUnixTimeMilliseconds()).Where(e => e.KeyId == keyId).Select(e => e.AtMs).ToList();
        var windows = Enumerable.Range(0, Windows).Select(w =>
        {
            var (start, end) = ((from + (w * window)).ToUnixTimeMilliseconds(), (from + ((w + 1) * window)).ToUnixTimeMilliseconds());
            double polled = polls.Count(at => at >= start && at < end);
            return (Rate: polled / window.TotalSeconds, Statements: (counters[w + 1].Statements - counters[w].Statements) / polled);
        }).ToList();
        var median = Stats.Median([.. windows.Select(x => x.Rate)]);
        BenchContext.Say($"scenario 2: Hangfire job per poll {string.Join(", ", windows.Select(x => $"{x.Rate:0}/s"))} (median {median:0}/s)");
        return (median, Stats.Median([.. windows.Select(x => x.Statements)]));
    }

    public async Task PollAsync(string videoId)
    {
        try
        {
            await PollOnceAsync(videoId);
        }
        finally
        {
            backlog.Release();
        }
    }

    private async Task PollOnceAsync(string videoId)
    {
        using var response = await http.GetAsync(new Uri("/v1/videos/" + videoId, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        await using var update = data.CreateCommand("UPDATE polls SET last_status = $1, poll_count = poll_count + 1, polled_at = now() WHERE video_id = $2");
        update.Parameters.Add(new NpgsqlParameter { Value = body.RootElement.GetProperty("status").GetString() });
        update.Parameters.Add(new NpgsqlParameter { Value = videoId });
        await update.ExecuteNonQueryAsync();
    }

    private sealed class Connections(NpgsqlDataSource data) : IConnectionFactory
    {
        public NpgsqlConnection GetOrCreateConnection() => data.CreateConnection();
    }

    private sealed class Only(HangfirePerPoll job) : JobActivator
    {
        public override object ActivateJob(Type jobType) => job;
    }
}
