using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Delivery.Recovery;
using Poe.WebhookBridge.Endpoints;
using Poe.WebhookBridge.Gateway;
using Poe.WebhookBridge.Operations;
using Poe.WebhookBridge.Tests.Support;
using Poe.WebhookBridge.Watches;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.Tests.Infrastructure;

/// <summary>
/// Every statement the service runs on a schedule or per request (but the poll claim, which has its own tests) reads
/// its rows through an index and touches O(its result) rows of the big tables, however large they are: no sequential
/// scan of them, no sort of more rows than a batch. The table of docs/architecture.md ("Cost at scale") is these plans
/// at a million rows; this is the guard that a change cannot silently undo them.
/// </summary>
[Collection(AloneCollectionDefinition.Name)]
public sealed class CostAtScaleTests(CostAtScaleDatabase data, ITestOutputHelper output) : IClassFixture<CostAtScaleDatabase>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    // A watch of client c7 halfway down its list (row g = 25,007: active, created 15 days ago).
    private const int Middle = (CostAtScaleDatabase.Rows / 2) + 7;

    [Fact]
    public async Task The_outbox_claim_reads_due_events_in_due_order()
    {
        await using var connection = await data.OpenAsync();
        var plan = await QueryPlan.ExplainAsync(connection, WebhookEvents.Claim, Values(
            Now, new[] { "10.0.0.3" }, OutboxClaims.BatchSize * 4, new[] { "10.0.0.4" }, new[] { 3 }, DeliveryCapacity.MaxPerHost,
            OutboxClaims.BatchSize, Now.AddSeconds(40)));
        AssertCheap(plan, rowsAtMost: 2000);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("active", null)]
    [InlineData("completed", null)]
    [InlineData(null, "video_25007")]
    public async Task A_page_of_watches_after_a_cursor_starts_at_the_cursor(string? status, string? videoId)
    {
        var capture = new CommandCapture();
        await using (var db = data.Context(capture))
        {
            await WatchQueries.Page(db, "c7", status, videoId, videoId is null ? CostAtScaleDatabase.Id("watch_", Middle) : null, 21).ToListAsync();
        }

        await using var connection = await data.OpenAsync();
        var (sql, parameters) = capture.Commands[^1];
        AssertCheap(await QueryPlan.ExplainAsync(connection, sql, parameters), rowsAtMost: 200);
    }

    [Fact]
    public async Task A_registration_checks_its_identity_on_the_unique_index()
    {
        await using var connection = await data.OpenAsync();
        // Positional, in the statement's order: id, client, video, callback, key, events, metadata, video object, now, first poll, interval.
        var parameters = new NpgsqlParameter[]
        {
            new() { Value = "watch_new" }, new() { Value = "c7" }, new() { Value = "video_new" }, new() { Value = "http://10.0.0.7:8080/hook" },
            new() { Value = "pk_7" }, new() { Value = new[] { "video.completed" } }, new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = "{}" },
            new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = DBNull.Value }, new() { Value = Now }, new() { Value = Now }, new() { Value = TimeSpan.FromSeconds(5) },
        };
        AssertCheap(await QueryPlan.ExplainAsync(connection, WatchRows.InsertSql, parameters), rowsAtMost: 10);
        NpgsqlParameter[] identity = [new("client_name", "c7"), new("video_id", "video_new"), new("callback_url", "http://10.0.0.7:8080/hook")];
        AssertCheap(await QueryPlan.ExplainAsync(connection, IdenticalWatch.Sql, identity), rowsAtMost: 10);
    }

    [Fact]
    public async Task A_watchs_events_are_read_with_their_attempts_by_watch()
    {
        var capture = new CommandCapture();
        await using (var db = data.Context(capture))
        {
            await EventsApi.OfWatch(db, CostAtScaleDatabase.Id("watch_", Middle)).ToListAsync();
        }

        await using var connection = await data.OpenAsync();
        var (sql, parameters) = capture.Commands[^1];
        AssertCheap(await QueryPlan.ExplainAsync(connection, sql, parameters), rowsAtMost: 20);
    }

    [Fact]
    public async Task Endpoints_count_their_own_events_and_recent_attempts_only()
    {
        await using var connection = await data.OpenAsync();
        var plan = await QueryPlan.ExplainAsync(connection, EndpointQueries.Sql, Values(
            "c2", Now.AddHours(-24), new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text }));
        // Its undelivered events are read on one index for both counts: each counted event at most twice.
        AssertCheap(plan, rowsAtMost: 2 * (CostAtScaleDatabase.Rows / 200) + 100);
    }

    [Fact]
    public async Task Releasing_an_endpoints_held_events_reads_those_events_only()
    {
        await using var connection = await data.OpenAsync();
        AssertCheap(await QueryPlan.ExplainAsync(connection, WebhookEvents.Release, Values("c3", "http://10.0.0.3:8080", Now)), rowsAtMost: 2 * CostAtScaleDatabase.Rows / 200);
    }

    [Fact]
    public async Task A_recovery_counts_and_requeues_its_clients_dead_events_only()
    {
        await using var connection = await data.OpenAsync();
        AssertCheap(await QueryPlan.ExplainAsync(connection, RecoverySql.Match, Values("rec_scale")), rowsAtMost: 500);
        AssertCheap(await QueryPlan.ExplainAsync(connection, WebhookEvents.RequeueRecoveredSql, Values("rec_scale", 100, Now)), rowsAtMost: 500);
    }

    [Fact]
    public async Task Retention_batches_walk_ended_watches_and_records_oldest_first()
    {
        const int Batch = 100;
        var endedBefore = Now.AddDays(-30);
        await using var connection = await data.OpenAsync();
        AssertCheap(await QueryPlan.ExplainAsync(connection, WatchRows.ExpiredSql, Values(endedBefore, Batch)), rowsAtMost: 5 * Batch);

        await using var source = NpgsqlDataSource.Create(data.ConnectionString);
        var ids = (await WatchRows.ExpiredAsync(source, endedBefore, Batch, CancellationToken.None)).ToArray();
        Assert.Equal(Batch, ids.Length);
        AssertCheap(await QueryPlan.ExplainAsync(connection, DeliveryAttempts.PurgeSql, Values((object)ids)), rowsAtMost: 5 * Batch);
        AssertCheap(await QueryPlan.ExplainAsync(connection, WebhookEvents.PurgeSql, Values((object)ids)), rowsAtMost: 5 * Batch);
        AssertCheap(await QueryPlan.ExplainAsync(connection, WatchRows.PurgeSql, Values((object)ids)), rowsAtMost: 5 * Batch);
        AssertCheap(
            await QueryPlan.ExplainAsync(connection, IdempotencyStore.PurgeExpiredSql, [new("created_before", Now.AddHours(-24)), new("limit", Batch)]),
            rowsAtMost: 3 * Batch);
        AssertCheap(await QueryPlan.ExplainAsync(connection, GatewayRequests.PurgeAnsweredSql,
            [new("done", GatewayRequestState.Done), new("completed_before", Now.AddHours(-24)), new("limit", Batch)]), rowsAtMost: 3 * Batch);
    }

    private void AssertCheap(QueryPlan plan, double rowsAtMost)
    {
        output.WriteLine($"rows touched {plan.RowsTouched}, largest sort {plan.LargestSort}");
        Assert.True(!plan.SeqScansOfBigTables.Any(), $"a sequential scan of {string.Join(", ", plan.SeqScansOfBigTables.Select(n => n.Relation))}:\n{plan.Text}");
        Assert.True(plan.LargestSort <= rowsAtMost, $"sorts {plan.LargestSort} rows (at most {rowsAtMost}):\n{plan.Text}");
        Assert.True(plan.RowsTouched <= rowsAtMost, $"touches {plan.RowsTouched} rows of the big tables (at most {rowsAtMost}):\n{plan.Text}");
    }

    private static NpgsqlParameter[] Values(params object[] values) =>
        [.. values.Select(v => v as NpgsqlParameter ?? new NpgsqlParameter { Value = v })];
}
