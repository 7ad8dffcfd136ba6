using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Operations;
using Poe.WebhookBridge.Tests.Support;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Tests.Operations;

public sealed class RetentionTests(BridgeFactory bridge) : BridgeTest(bridge)
{
    private static readonly TimeSpan Period = TimeSpan.FromHours(1);
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    [Fact]
    public async Task Watches_ended_longer_ago_than_the_period_are_purged_with_their_events_and_attempts()
    {
        var old = await SeedWatchAsync(WatchStatus.Completed, endedAgo: Period + TimeSpan.FromMinutes(1), DeliveryStatus.Delivered, attempts: 2);
        var recent = await SeedWatchAsync(WatchStatus.Failed, endedAgo: Period - TimeSpan.FromMinutes(1), DeliveryStatus.Failed, attempts: 8);
        var stillDelivering = await SeedWatchAsync(WatchStatus.Cancelled, endedAgo: Period * 3, DeliveryStatus.Pending, attempts: 1);
        var active = await SeedWatchAsync(WatchStatus.Active, endedAgo: null, eventStatus: null, attempts: 0);
        var time = new FakeTimeProvider(_now);

        await RunRetentionAsync(time);

        Assert.Equal(new[] { recent, stillDelivering, active }.Order(), await WatchIdsAsync());
        Assert.Equal(new[] { recent, stillDelivering }.Order(), await Database.QueryAsync(db => db.WebhookEvents.Select(e => e.WatchId).Order().ToListAsync()));
        Assert.Equal(9, await Database.QueryAsync(db => db.DeliveryAttempts.CountAsync()));
        Assert.DoesNotContain(old, await WatchIdsAsync());

        time.Advance(TimeSpan.FromMinutes(2));
        await RunRetentionAsync(time);

        Assert.Equal(new[] { stillDelivering, active }.Order(), await WatchIdsAsync());
        Assert.Equal(1, await Database.QueryAsync(db => db.DeliveryAttempts.CountAsync()));
    }

    [Fact]
    public async Task A_watch_ended_long_ago_is_kept_while_an_event_of_it_is_held_for_a_disabled_endpoint()
    {
        var held = await SeedWatchAsync(WatchStatus.Completed, endedAgo: Period * 3, DeliveryStatus.Held, attempts: 2);

        await RunRetentionAsync(new FakeTimeProvider(_now));

        Assert.Equal([held], await WatchIdsAsync());
        Assert.Equal(2, await Database.QueryAsync(db => db.DeliveryAttempts.CountAsync()));
    }

    [Fact]
    public async Task Idempotency_records_older_than_24_hours_are_purged_in_batches_of_a_thousand()
    {
        const int Expired = (RetentionJob.BatchSize * 2) + 500;
        await Database.QueryAsync(db => db.Database.ExecuteSqlAsync($$"""
            INSERT INTO bridge.idempotency_records (client_name, key, request_hash, status_code, response_body, created_at)
            SELECT 'shop', 'expired-' || n, 'hash', 201, '{}', {{_now - TimeSpan.FromHours(25)}} FROM generate_series(1, {{Expired}}) AS n
            UNION ALL
            SELECT 'shop', 'fresh-' || n, 'hash', 201, '{}', {{_now - TimeSpan.FromHours(23)}} FROM generate_series(1, 2) AS n
            """));

        await RunRetentionAsync(new FakeTimeProvider(_now));

        var left = await Database.QueryAsync(db => db.IdempotencyRecords.Select(r => r.Key).Order().ToListAsync());
        Assert.Equal(["fresh-1", "fresh-2"], left);
    }

    [Fact]
    public async Task Answered_gateway_requests_older_than_24_hours_are_purged_and_one_whose_outcome_is_unknown_is_kept()
    {
        await Database.QueryAsync(db => db.Database.ExecuteSqlAsync($$"""
            INSERT INTO bridge.gateway_requests (client_name, key, request_hash, operation, state, owner, started_at, unknown_after, status_code, response_body, completed_at)
            SELECT 'shop', 'answered-' || n, 'hash', 'create', 'done', 'o', {{_now - TimeSpan.FromHours(26)}}, {{_now - TimeSpan.FromHours(26)}}, 201, '{}', {{_now - TimeSpan.FromHours(25)}}
            FROM generate_series(1, {{RetentionJob.BatchSize + 5}}) AS n
            UNION ALL
            SELECT 'shop', 'fresh', 'hash', 'create', 'done', 'o', {{_now - TimeSpan.FromHours(2)}}, {{_now - TimeSpan.FromHours(2)}}, 201, '{}', {{_now - TimeSpan.FromHours(1)}}
            UNION ALL
            SELECT 'shop', 'unknown', 'hash', 'create', 'in_flight', 'o', {{_now - TimeSpan.FromDays(40)}}, {{_now - TimeSpan.FromDays(40)}}, NULL, NULL, NULL
            """));

        await RunRetentionAsync(new FakeTimeProvider(_now));

        var left = await Database.QueryAsync(db => db.Database.SqlQuery<string>($"SELECT key AS \"Value\" FROM bridge.gateway_requests ORDER BY key").ToListAsync());
        Assert.Equal(["fresh", "unknown"], left);
    }

    [Fact]
    public void Retention_is_a_recurring_hourly_job_on_the_default_queue_without_retries()
    {
        using var connection = Bridge.Services.GetRequiredService<JobStorage>().GetConnection();

        var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == RetentionJob.RecurringJobId);

        Assert.Equal(Cron.Hourly(), job.Cron);
        Assert.Equal("default", job.Queue);
        Assert.Equal(typeof(RetentionJob), job.Job.Type);
        var retry = Assert.Single(typeof(RetentionJob).GetCustomAttributes(typeof(AutomaticRetryAttribute), inherit: true).Cast<AutomaticRetryAttribute>());
        Assert.Equal(0, retry.Attempts);
    }

    [Fact]
    public void The_recurring_jobs_take_no_argument_but_the_cancellation_token()
    {
        using var connection = Bridge.Services.GetRequiredService<JobStorage>().GetConnection();

        var jobs = connection.GetRecurringJobs().Where(j => j.Id.StartsWith("bridge:", StringComparison.Ordinal)).ToList();

        Assert.Equal(["bridge:deliver-due-webhooks", "bridge:poll-due-videos", "bridge:purge-ended-watches"], jobs.Select(j => j.Id).Order());
        Assert.All(jobs, j => Assert.All(j.Job.Method.GetParameters(), p => Assert.Equal(typeof(CancellationToken), p.ParameterType)));
    }

    private async Task RunRetentionAsync(TimeProvider time)
    {
        await using var scope = Bridge.Services.CreateAsyncScope();
        var job = ActivatorUtilities.CreateInstance<RetentionJob>(
            scope.ServiceProvider, Options.Create(new RetentionOptions { Period = Period }), time, NullLogger<RetentionJob>.Instance);
        await job.RunAsync(CancellationToken.None);
    }

    private Task<List<string>> WatchIdsAsync() => Database.QueryAsync(db => db.Watches.Select(w => w.Id).Order().ToListAsync());

    /// <summary>A watch (ended that long ago, or active) with one event in that delivery state and that many attempts.</summary>
    private Task<string> SeedWatchAsync(string status, TimeSpan? endedAgo, string? eventStatus, int attempts) => Database.QueryAsync(async db =>
    {
        var id = $"watch_{Guid.NewGuid():N}";
        db.Watches.Add(new Watch
        {
            Id = id,
            ClientName = "shop",
            VideoId = $"video_{id}",
            CallbackUrl = "https://app.example/hooks/poe",
            PoeKeyId = "retention-test",
            Events = ["video.completed"],
            Metadata = [],
            Status = status,
            CreatedAt = _now - (endedAgo ?? TimeSpan.Zero) - TimeSpan.FromMinutes(5),
            EndedAt = _now - endedAgo,
        });
        if (eventStatus is not null)
        {
            var eventId = $"evt_{Guid.NewGuid():N}";
            db.WebhookEvents.Add(new WebhookEvent
            {
                Id = eventId,
                WatchId = id,
                ClientName = "shop",
                Type = "video.completed",
                Payload = "{}",
                CallbackUrl = "https://app.example/hooks/poe",
                CallbackHost = "app.example",
                CallbackOrigin = "https://app.example:443",
                CreatedAt = _now - (endedAgo ?? TimeSpan.Zero),
                Status = eventStatus,
                AttemptCount = attempts,
                // A pending event waits far in the future, so the running bridge does not attempt it during the test.
                NextAttemptAt = eventStatus == DeliveryStatus.Pending ? _now + TimeSpan.FromDays(1) : null,
                Attempts = [.. Enumerable.Range(0, attempts).Select(i => new DeliveryAttempt { EventId = eventId, At = _now - TimeSpan.FromMinutes(i), StatusCode = 500, DurationMs = 10 })],
            });
        }

        await db.SaveChangesAsync();
        return id;
    });
}
