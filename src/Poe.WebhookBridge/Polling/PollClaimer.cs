using Microsoft.Extensions.Options;
using Npgsql;
using Poe.WebhookBridge.Budget;

namespace Poe.WebhookBridge.Polling;

/// <summary>
/// Claims due videos, oldest due first, in one short transaction, and only as many per Poe key as the key's budget
/// (<see cref="PoeBudget"/>) grants: the budget is spent before the request is sent, so all instances together stay within it.
/// <para>
/// A claim is three round trips: the key probe (which begins the transaction), the due read with the slot take (one
/// statement), and one batch of its writes ending in the commit. Each step needs the previous one's answer; the writes
/// do not need each other's, so they go together. The claim's time counts against the send deadline and holds its keys, which
/// concurrent claims skip meanwhile, so every round trip saved is a poll sent sooner and its keys free sooner.
/// </para>
/// </summary>
public sealed class PollClaimer(NpgsqlDataSource dataSource, IOptions<PoeOptions> poe, TimeProvider time)
{
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Each key a claim serves costs it an index range read of the key's due targets and of its rate slots, and a write of
    /// its pace, whatever its share: serving every due key one poll each, as a claim of 256 among 200 keys would, spends
    /// most of the claim on keys. A claim serves this many polls a key where the keys' backlogs allow, so as few keys as
    /// fill its batch; the others wait for the next claim, which serves them first as their videos then waited longest.
    /// </summary>
    internal const int PollsPerKey = 8;

    public async Task<PollClaim> ClaimAsync(int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var lease = now + poe.Value.Timeout + LeaseMargin;
        // The transaction is begun and committed by statements sent with the claim's first and last round trips, not by
        // round trips of their own; a claim that fails midway is rolled back when its connection returns to the pool.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // Keys first, then per key only its share of the batch, oldest due first, off its index — and one row more when
        // the share is all its pace admits, to learn whether the pace left some waiting (then the key is held until its
        // next admission). The claim reads O(batch + keys) rows however long the backlog.
        var (keys, keysLeft) = await LockDueKeysAsync(connection, now, limit, cancellationToken);
        if (keys.Count == 0)
        {
            await using var commit = new NpgsqlCommand("COMMIT", connection);
            await commit.ExecuteNonQueryAsync(cancellationToken);
            return new PollClaim([], KeysLeft: false);
        }

        var shares = Share(keys, limit);
        var limits = keys.Select(k => (k.Id, Limit: shares[k.Id] + (shares[k.Id] == k.Admitted ? 1 : 0))).Where(k => k.Limit > 0).ToList();
        var served = keys.Where(k => limits.Exists(l => l.Id == k.Id)).ToList();
        var (due, granted, wanted) = await ReadDueAndTakeSlotsAsync(connection, served, limits, now, cancellationToken);
        var byKey = due.Where(d => d.HasWatchers).GroupBy(d => d.Poll.PoeKeyId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        // A key Poe rejects asks for one poll: its probe.
        var asked = keys.Select(k => k with { Asked = Math.Min(byKey.GetValueOrDefault(k.Id)?.Count ?? 0, k.Rejected ? 1 : int.MaxValue) })
            .Where(k => k.Asked > 0).ToList();
        var claimed = byKey.SelectMany(k => k.Value.Take(granted.GetValueOrDefault(k.Key)).Select(d => d.Poll with { Lease = lease })).ToList();

        await using var writes = new NpgsqlBatch(connection);
        PoeBudget.AddAfterGrant(writes, asked, granted, wanted, poe.Value.RequestsPerMinute, now, lease);
        VideoPolls.AddLease(writes, claimed, lease);
        VideoPolls.AddDeleteOrphans(writes, [.. due.Where(d => !d.HasWatchers).Select(d => d.Poll)]);
        writes.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        await writes.ExecuteNonQueryAsync(cancellationToken);
        return new PollClaim(claimed, keysLeft);
    }

    /// <summary>
    /// The claim's second statement: locks each key's share of its due targets (<see cref="VideoPolls.DueSql"/>) and takes
    /// rate slots for the watched ones (<see cref="PoeBudget.TakePollSlotsCtes"/>), in claim order, with each row's key's
    /// slots taken (<c>granted</c>) and sought (<c>wanted</c>). Public so a test can EXPLAIN the very statement the claim runs.
    /// </summary>
    public const string ClaimSql = $"""
        WITH due AS MATERIALIZED (
        {VideoPolls.DueSql}),
        {PoeBudget.TakePollSlotsCtes}
        SELECT due.*, COALESCE(t.granted, 0) AS granted, COALESCE(w.wanted, 0) AS wanted
        FROM due
        LEFT JOIN (SELECT poe_key_id, count(*)::int AS granted FROM taken GROUP BY poe_key_id) t ON t.poe_key_id = due.poe_key_id
        LEFT JOIN wanted w ON w.poe_key_id = due.poe_key_id
        ORDER BY due.claim_order
        """;

    private async Task<(List<DueTarget> Due, Dictionary<string, int> Granted, Dictionary<string, int> Wanted)> ReadDueAndTakeSlotsAsync(
        NpgsqlConnection connection, IReadOnlyList<KeyGrant> keys, IReadOnlyList<(string Key, int Limit)> limits, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ClaimSql, connection);
        VideoPolls.AddDueParameters(command.Parameters, limits, now);
        PoeBudget.AddPollSlotParameters(command.Parameters, keys, poe.Value.RequestsPerMinute, now);
        var (due, granted, wanted) = (new List<DueTarget>(), new Dictionary<string, int>(StringComparer.Ordinal), new Dictionary<string, int>(StringComparer.Ordinal));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var target = VideoPolls.ReadDue(reader, now);
            due.Add(target);
            granted[target.Poll.PoeKeyId] = reader.GetInt32(10);
            wanted[target.Poll.PoeKeyId] = reader.GetInt32(11);
        }

        return (due, granted, wanted);
    }

    /// <summary>
    /// Shares a batch of <paramref name="limit"/> among the keys that waited longest (their oldest due video first), as
    /// many as <see cref="KeysServed"/>, one poll at a time in turn, each up to what its pace admits: every key's budget is
    /// its own, so no key waits for another's backlog, and the keys left out go first in the next claim, so none starves.
    /// </summary>
    internal static Dictionary<string, int> Share(IReadOnlyList<KeyGrant> keys, int limit)
    {
        var shares = keys.ToDictionary(k => k.Id, _ => 0, StringComparer.Ordinal);
        var open = keys.Where(k => k.Admitted > 0).OrderBy(k => k.OldestDue).ThenBy(k => k.PacedUntil).ThenBy(k => k.Id, StringComparer.Ordinal)
            .Take(KeysServed(limit)).ToList();
        var left = limit;
        while (left > 0 && open.Count > 0)
        {
            foreach (var key in open)
            {
                if (left == 0)
                {
                    break;
                }

                shares[key.Id]++;
                left--;
            }

            open.RemoveAll(k => shares[k.Id] >= k.Admitted);
        }

        return shares;
    }

    /// <summary>How many keys a claim of <paramref name="limit"/> serves: enough for <see cref="PollsPerKey"/> each.</summary>
    internal static int KeysServed(int limit) => Math.Max(1, (limit + PollsPerKey - 1) / PollsPerKey);

    /// <summary>
    /// Locks the keys a claim of <paramref name="limit"/> serves (<see cref="KeysServed"/>): of those not held with a due
    /// video (one index probe each: O(keys)), the ones whose oldest due video waited longest, with when it came due and
    /// how many requests each may send now by its even pace; and says whether more keys had one. A key another claim (on
    /// any instance) holds is skipped, not waited for: concurrent claims serve different keys side by side.
    /// </summary>
    private async Task<(List<KeyGrant> Keys, bool KeysLeft)> LockDueKeysAsync(NpgsqlConnection connection, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var budget = poe.Value.RequestsPerMinute;
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        // The planner cannot know each key's LIMIT and costs the claim as if it read every due row; compiling it (JIT)
        // would take longer than running it.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL jit = off"));
        var read = new NpgsqlBatchCommand(DueKeysSql);
        read.Parameters.AddWithValue("now", now);
        read.Parameters.AddWithValue("keys", KeysServed(limit));
        batch.BatchCommands.Add(read);
        var (keys, due) = (new List<KeyGrant>(), 0L);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (id, pacedUntil, rejected, oldest) = (reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetBoolean(2), reader.GetFieldValue<DateTimeOffset>(3));
            keys.Add(new KeyGrant(id, pacedUntil, rejected, 0, PoeBudget.AdmitPolls(pacedUntil, rejected, now, limit, budget)) { OldestDue = oldest });
            due = reader.GetInt64(4);
        }

        return (keys, due > keys.Count);
    }

    /// <summary>
    /// The claim's key probe (public so a test can EXPLAIN the very statement the claim runs): of the keys not held with a
    /// due video, the <c>@keys</c> whose oldest due video waited longest that no other claim holds (a claim never waits for
    /// a lock, so the order its rows are locked in cannot deadlock), with how many keys had one.
    /// Among keys whose videos came due at one instant (a burst, a backlog after an outage) the one whose pace is furthest
    /// behind goes first: by id alone, the same keys would be served each claim until their pace stopped them.
    /// </summary>
    public const string DueKeysSql = """
        SELECT k.id, k.paced_until, k.unauthorized_since IS NOT NULL, d.claim_order, d.due_keys
        FROM (
            SELECT c.id, d.claim_order, count(*) OVER () AS due_keys
            FROM bridge.poe_keys c
            CROSS JOIN LATERAL (
                SELECT p.claim_order FROM bridge.video_polls p
                WHERE p.poe_key_id = c.id AND p.claim_order <= @now AND p.next_poll_at <= @now
                ORDER BY p.claim_order
                LIMIT 1) d
            WHERE c.hold_until <= @now) d
        JOIN bridge.poe_keys k ON k.id = d.id
        WHERE k.hold_until <= @now
        ORDER BY d.claim_order, k.paced_until, k.id
        LIMIT @keys
        FOR UPDATE OF k SKIP LOCKED
        """;
}
