using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Budget;
using Poe.WebhookBridge.Polling;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>
/// A claim costs the same under any backlog: at 200,000 due videos over 200 keys, the claim's statements read each
/// key's rows off its index in claim order and stop after what they take — no scan or sort of every due row, no sort
/// of every rate slot. Judged by PostgreSQL's own EXPLAIN ANALYZE of the very statements the claim runs.
/// </summary>
public sealed class ClaimPlanTests : IAsyncLifetime
{
    private const int Keys = 200;
    private const int DueVideos = 200_000;
    private const int SlotsPerKey = 500;
    // What each key asks for in one claim: a batch of 256 shared among 200 keys, plus the extra row that tells the
    // claim whether the key's pace left some waiting.
    private const int PerKey = 3;

    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private string _database = "";

    public async Task InitializeAsync()
    {
        _database = await PostgresServer.CreateDatabaseAsync("claimplan");
        await using (var db = new BridgeDbContext(new DbContextOptionsBuilder<BridgeDbContext>()
            .UseNpgsql(_database, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", BridgeDbContext.Schema))
            .UseSnakeCaseNamingConvention()
            .Options))
        {
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(5));
            await db.Database.MigrateAsync();
        }

        // A backlog as the bridge stores it: every video due (some for minutes), each with an active watch; some polled
        // before (so the urgency floor orders them), some never; half of every key's slots taken.
        await ExecuteAsync($$"""
            INSERT INTO bridge.poe_keys (id, hold_until, backoff_seconds, paced_until) SELECT 'pk_' || k, 'epoch', 0, 'epoch' FROM generate_series(0, {{Keys - 1}}) k;
            INSERT INTO bridge.rate_slots (poe_key_id, slot, available_at)
                SELECT 'pk_' || k, s, @now + (random() - 0.5) * interval '2 minutes' FROM generate_series(0, {{Keys - 1}}) k, generate_series(0, {{SlotsPerKey - 1}}) s;
            INSERT INTO bridge.watches (id, client_name, video_id, callback_url, poe_key_id, events, metadata, status, poll_count, created_at)
                SELECT 'watch_' || g, 'shop', 'video_' || g, 'https://app.example/hooks', 'pk_' || (g % {{Keys}}), '{video.completed}', '{}', 'active', 0, @now
                FROM generate_series(0, {{DueVideos - 1}}) g;
            INSERT INTO bridge.video_polls (poe_key_id, video_id, next_poll_at, last_polled_at, urgent_at, failure_count, created_at)
                SELECT 'pk_' || (g % {{Keys}}), 'video_' || g, @now - random() * interval '10 minutes', last, last + interval '35 seconds', 0, @now
                FROM generate_series(0, {{DueVideos - 1}}) g,
                     LATERAL (SELECT CASE WHEN g % 3 = 0 THEN NULL ELSE @now - interval '30 seconds' - random() * interval '10 minutes' END + g * interval '0') l(last);
            ANALYZE;
            """);
    }

    public Task DisposeAsync() => PostgresServer.DropDatabaseAsync(_database);

    [Fact]
    public async Task The_key_probe_looks_up_one_index_entry_per_key()
    {
        var served = PollClaimer.KeysServed(PollRunner.MaxInFlight);
        var plan = await ExplainAsync(PollClaimer.DueKeysSql, p =>
        {
            p.AddWithValue("now", _now);
            p.AddWithValue("keys", served);
        });

        Assert.Equal(Math.Min(Keys, served), plan.Rows);
        var index = Assert.Single(plan.Nodes, n => n.Relation == "video_polls");
        Assert.Equal("ix_video_polls_poe_key_id_claim_order", index.Index);
        Assert.True(index.TotalRows <= Keys, $"The probe read {index.TotalRows} due rows for {Keys} keys.");
        Assert.True(plan.Buffers <= 10 * Keys, $"The probe touched {plan.Buffers} buffers for {Keys} keys.");
    }

    [Fact]
    public async Task The_claim_reads_each_keys_oldest_due_videos_off_the_index_and_no_more()
    {
        var plan = await ExplainClaimAsync();

        var batch = Keys * PerKey;
        Assert.Equal(batch, plan.Rows);
        Assert.DoesNotContain(plan.Nodes, n => n.Type == "Seq Scan");
        var index = Assert.Single(plan.Nodes, n => n.Relation == "video_polls");
        Assert.Equal("ix_video_polls_poe_key_id_claim_order", index.Index);
        Assert.True(index.TotalRows <= batch, $"The claim read {index.TotalRows} due rows for a batch of {batch}, of {DueVideos} due.");
        Assert.All(plan.Nodes.Where(n => n.Type == "Sort"), sort => Assert.True(sort.TotalRows <= batch, $"A sort of {sort.TotalRows} rows."));
        var read = Assert.Single(plan.Nodes, n => n.Subplan == "CTE due");
        Assert.True(read.Buffers <= 15 * batch, $"The claim's read touched {read.Buffers} buffers for a batch of {batch}.");
    }

    [Fact]
    public async Task Taking_rate_slots_reads_only_the_slots_it_takes()
    {
        var plan = await ExplainClaimAsync();

        var taken = Keys * PerKey;
        var update = Assert.Single(plan.Nodes, n => n.Type == "ModifyTable" && n.Relation == "rate_slots");
        Assert.Equal(taken, update.TotalRows);
        Assert.Contains(plan.Nodes, n => n.Index == "ix_rate_slots_poe_key_id_available_at_slot");
        Assert.DoesNotContain(plan.Nodes, n => n.Type == "Seq Scan");
        // Each slot taken is read twice (found, then updated); slots held back for callers' requests
        // (PoeBudget.ReservedSlots) may be passed over on the way. A pick that sorted a key's free slots instead of
        // reading them off the index in order would read them all, and fail this bound.
        var read = plan.Nodes.Where(n => n.Relation == "rate_slots" && n.Type != "ModifyTable").Sum(n => n.TotalRows);
        var reserved = SlotsPerKey - PoeBudget.PollSlots(SlotsPerKey);
        Assert.True(read <= (2 * taken) + (Keys * reserved), $"Taking {taken} slots read {read} of {Keys * SlotsPerKey}.");
    }

    [Fact]
    public async Task The_claim_index_keeps_one_entry_per_row_so_a_scan_marks_each_dead_one_on_its_own()
    {
        // Deduplicated entries share one posting list, which a scan marks dead only once every row in it is dead: rows
        // due at one instant would then be re-read by every claim until vacuum.
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'ix_video_polls_poe_key_id_claim_order'", connection);
        var options = await command.ExecuteScalarAsync() as string ?? "";

        Assert.Contains("deduplicate_items=false", options, StringComparison.OrdinalIgnoreCase);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
        command.Parameters.AddWithValue("now", _now);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The claim's read and slot take (<see cref="PollClaimer.ClaimSql"/>): every key asks for <see cref="PerKey"/> videos, and its pace admits them all.</summary>
    private Task<Plan> ExplainClaimAsync() => ExplainAsync(PollClaimer.ClaimSql, p =>
    {
        var keys = Enumerable.Range(0, Keys).Select(k => $"pk_{k}").ToArray();
        p.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = keys });
        p.Add(new NpgsqlParameter("limits", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = Enumerable.Repeat(PerKey, Keys).ToArray() });
        p.Add(new NpgsqlParameter("grant_keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = keys });
        p.Add(new NpgsqlParameter("admitted", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = Enumerable.Repeat(PerKey, Keys).ToArray() });
        p.AddWithValue("slots", PoeBudget.PollSlots(SlotsPerKey));
        p.AddWithValue("now", _now);
        p.AddWithValue("reusable", _now + PoeBudget.SlotPeriod);
    });

    /// <summary>Runs EXPLAIN (ANALYZE, BUFFERS) of a statement as the claim runs it (JIT off), and rolls back what it did.</summary>
    private async Task<Plan> ExplainAsync(string sql, Action<NpgsqlParameterCollection> parameters)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var jit = new NpgsqlCommand("SET LOCAL jit = off", connection, transaction))
        {
            await jit.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, connection, transaction);
        parameters(command.Parameters);
        var json = (string)(await command.ExecuteScalarAsync())!;
        await transaction.RollbackAsync();
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement[0].GetProperty("Plan");
        var nodes = new List<PlanNode>();
        Walk(root, nodes);
        return new Plan(
            (long)root.GetProperty("Actual Rows").GetDouble(),
            root.GetProperty("Shared Hit Blocks").GetInt64() + root.GetProperty("Shared Read Blocks").GetInt64(),
            nodes);
    }

    private static void Walk(JsonElement node, List<PlanNode> nodes)
    {
        nodes.Add(new PlanNode(
            node.GetProperty("Node Type").GetString()!,
            node.TryGetProperty("Relation Name", out var relation) ? relation.GetString() : null,
            node.TryGetProperty("Index Name", out var index) ? index.GetString() : null,
            node.TryGetProperty("Subplan Name", out var subplan) ? subplan.GetString() : null,
            node.GetProperty("Shared Hit Blocks").GetInt64() + node.GetProperty("Shared Read Blocks").GetInt64(),
            // Actual Rows is the mean per loop: times the loops, with what its filter dropped, it is all the node read.
            (long)Math.Round((node.GetProperty("Actual Rows").GetDouble()
                + (node.TryGetProperty("Rows Removed by Filter", out var removed) ? removed.GetDouble() : 0)) * node.GetProperty("Actual Loops").GetDouble())));
        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                Walk(child, nodes);
            }
        }
    }

    private sealed record Plan(long Rows, long Buffers, List<PlanNode> Nodes);

    private sealed record PlanNode(string Type, string? Relation, string? Index, string? Subplan, long Buffers, long TotalRows);
}
