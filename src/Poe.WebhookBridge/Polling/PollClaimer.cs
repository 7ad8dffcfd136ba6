using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Poe.WebhookBridge.Polling;

/// <summary>
/// Claims due videos, oldest due first, in one short transaction, and only as many per Poe key as that key has free
/// rate slots: the budget is spent before the request is sent, so all instances together stay within it.
/// </summary>
public sealed class PollClaimer(NpgsqlDataSource dataSource, IOptions<PoeOptions> poe, TimeProvider time)
{
    /// <summary>A claim not sent within this is given back unsent: its slot was counted from the claim.</summary>
    public static readonly TimeSpan SendDeadline = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A slot taken now is free again after one minute plus this. It must exceed <see cref="SendDeadline"/> by the
    /// variation in how long a request takes to reach Poe, which on a loaded machine is seconds, not milliseconds.
    /// </summary>
    public static readonly TimeSpan SlotMargin = TimeSpan.FromSeconds(3);

    /// <summary>How long a rate slot stays taken after its claim: the period every slot-based rate derives from.</summary>
    public static readonly TimeSpan SlotPeriod = TimeSpan.FromMinutes(1) + SlotMargin;

    private static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(15);

    public async Task<IReadOnlyList<ClaimedPoll>> ClaimAsync(int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var lease = now + poe.Value.Timeout + LeaseMargin;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Keys first, then per key only its share of the batch, oldest due first, off its index — and one row more when
        // the share is all its pace admits, to learn whether the pace left some waiting (then the key is held until its
        // next admission). The claim reads O(batch + keys) rows however long the backlog.
        var keys = await LockDueKeysAsync(connection, transaction, now, limit, cancellationToken);
        if (keys.Count == 0)
        {
            return [];
        }

        var shares = Share(keys, limit);
        var limits = keys.Select(k => (k.Id, shares[k.Id] + (shares[k.Id] == k.Admitted ? 1 : 0))).ToList();
        var due = await VideoPolls.SelectDueAsync(connection, transaction, limits, now, cancellationToken);
        var byKey = due.Where(d => d.HasWatchers).GroupBy(d => d.Poll.PoeKeyId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        // A key Poe rejects asks for one poll: its probe.
        var asked = keys.Select(k => k with { Asked = Math.Min(byKey.GetValueOrDefault(k.Id)?.Count ?? 0, k.Rejected ? 1 : int.MaxValue) })
            .Where(k => k.Asked > 0).ToList();
        var granted = await GrantAsync(connection, transaction, asked, now, lease, cancellationToken);
        var claimed = byKey.SelectMany(k => k.Value.Take(granted.GetValueOrDefault(k.Key)).Select(d => d.Poll with { Lease = lease })).ToList();

        await VideoPolls.LeaseAsync(connection, transaction, claimed, lease, cancellationToken);
        await VideoPolls.DeleteOrphansAsync(connection, transaction, [.. due.Where(d => !d.HasWatchers).Select(d => d.Poll)], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    /// <summary>
    /// Shares a batch of <paramref name="limit"/> among the keys, one poll at a time in turn, the key whose oldest due
    /// video waited longest first, each up to what its pace admits: every key's budget is its own, so no key waits for
    /// another's backlog, and when the batch is short the longest-waiting keys go first, so none starves.
    /// </summary>
    internal static Dictionary<string, int> Share(IReadOnlyList<KeyGrant> keys, int limit)
    {
        var shares = keys.ToDictionary(k => k.Id, _ => 0, StringComparer.Ordinal);
        var open = keys.Where(k => k.Admitted > 0).OrderBy(k => k.OldestDue).ThenBy(k => k.Id, StringComparer.Ordinal).ToList();
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

    /// <summary>
    /// Locks, in id order, the keys that are not held and have a due video (one index probe each: O(keys)), with when
    /// their oldest due video came due and how many requests each may send now by its even pace. The row locks make
    /// concurrent claims of one key (on any instance) take turns.
    /// </summary>
    private async Task<List<KeyGrant>> LockDueKeysAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var budget = poe.Value.RequestsPerMinute;
        await using var batch = new NpgsqlBatch(connection, transaction);
        // The planner cannot know each key's LIMIT and costs the claim as if it read every due row; compiling it (JIT)
        // would take longer than running it.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL jit = off"));
        var read = new NpgsqlBatchCommand(DueKeysSql);
        read.Parameters.AddWithValue("now", now);
        batch.BatchCommands.Add(read);
        var keys = new List<KeyGrant>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (id, pacedUntil, rejected, oldest) = (reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetBoolean(2), reader.GetFieldValue<DateTimeOffset>(3));
            keys.Add(new KeyGrant(id, pacedUntil, rejected, 0, RatePacer.Admit(pacedUntil, now, rejected ? 1 : limit, budget)) { OldestDue = oldest });
        }

        return keys;
    }

    /// <summary>The claim's key probe (public so a test can EXPLAIN the very statement the claim runs).</summary>
    public const string DueKeysSql = """
        SELECT k.id, k.paced_until, k.unauthorized_since IS NOT NULL, d.claim_order
        FROM bridge.poe_keys k
        CROSS JOIN LATERAL (
            SELECT p.claim_order FROM bridge.video_polls p
            WHERE p.poe_key_id = k.id AND p.claim_order <= @now AND p.next_poll_at <= @now
            ORDER BY p.claim_order
            LIMIT 1) d
        WHERE k.hold_until <= @now
        ORDER BY k.id
        FOR UPDATE OF k
        """;

    /// <summary>
    /// Takes rate slots for the videos each key asked for, as many as its pace admits and it has free slots. A key that
    /// cannot send all it wants is held until it can send again, so its videos leave the claim until then. A key Poe
    /// rejects (401) is re-probed with one request, and held while that probe is out, however many of its videos are
    /// waiting: the probe's answer either holds it another minute or clears it. Every step serves all the claim's keys
    /// in one statement, so a claim costs the same few round trips for one key or two hundred.
    /// </summary>
    private async Task<Dictionary<string, int>> GrantAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<KeyGrant> keys, DateTimeOffset now, DateTimeOffset lease, CancellationToken cancellationToken)
    {
        var budget = poe.Value.RequestsPerMinute;
        keys = [.. keys.Select(k => k with { Admitted = Math.Min(k.Admitted, k.Asked) })];
        var granted = await TakeSlotsAsync(connection, transaction, [.. keys.Where(k => k.Admitted > 0)], now, cancellationToken);
        await using var update = new NpgsqlCommand("""
            UPDATE bridge.poe_keys k SET paced_until = u.paced,
                hold_until = GREATEST(CASE WHEN u.short THEN GREATEST(k.hold_until, u.next_admission,
                    CASE WHEN u.slots_short THEN (SELECT min(available_at) FROM bridge.rate_slots r WHERE r.poe_key_id = k.id AND r.slot < @budget) END)
                ELSE k.hold_until END, u.probe_until)
            FROM unnest(@keys, @paced, @short, @next_admission, @slots_short, @probe_until) AS u(id, paced, short, next_admission, slots_short, probe_until)
            WHERE k.id = u.id
            """, connection, transaction);
        var sent = keys.Select(k => granted.GetValueOrDefault(k.Id)).ToArray();
        var paced = keys.Select((k, i) => RatePacer.After(k.PacedUntil, now, sent[i], budget)).ToArray();
        update.Parameters.AddWithValue("budget", PoeBudget.PollSlots(budget));
        update.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = keys.Select(k => k.Id).ToArray() });
        update.Parameters.Add(new NpgsqlParameter("paced", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = paced });
        update.Parameters.Add(new NpgsqlParameter("short", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { Value = keys.Select((k, i) => sent[i] < k.Asked).ToArray() });
        update.Parameters.Add(new NpgsqlParameter("next_admission", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = paced.Select(p => RatePacer.NextAdmission(p, budget)).ToArray() });
        update.Parameters.Add(new NpgsqlParameter("slots_short", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { Value = keys.Select((k, i) => sent[i] < k.Admitted).ToArray() });
        update.Parameters.Add(new NpgsqlParameter("probe_until", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = keys.Select((k, i) => k.Rejected && sent[i] > 0 ? lease : now).ToArray() });
        await update.ExecuteNonQueryAsync(cancellationToken);
        return granted;
    }

    /// <summary>
    /// Takes up to <c>@wanted</c> free slots of each key in <c>@keys</c>, oldest free first: one index range scan per key
    /// that stops after what it takes (public so a test can EXPLAIN the very statement the claim runs).
    /// </summary>
    public const string TakeSlotsSql = """
        -- Picked once (MATERIALIZED): evaluated per row of a scan, the pick would pass over the slots this statement
        -- already took and take more.
        WITH picked AS MATERIALIZED (
            SELECT w.poe_key_id, ARRAY(
                SELECT r.slot FROM bridge.rate_slots r
                WHERE r.poe_key_id = w.poe_key_id AND r.slot < @budget AND r.available_at <= @now
                ORDER BY r.available_at, r.slot
                LIMIT w.wanted
                FOR UPDATE SKIP LOCKED) AS slots
            FROM unnest(@keys, @wanted) AS w(poe_key_id, wanted))
        UPDATE bridge.rate_slots s SET available_at = @reusable
        FROM picked
        -- Each key's picks by primary key: a join to a set of (key, slot) rows is costed as if it took many, and the
        -- planner then hashes every slot of every key.
        WHERE s.poe_key_id = picked.poe_key_id AND s.slot = ANY (picked.slots)
        RETURNING s.poe_key_id
        """;

    /// <summary>Takes up to each key's admitted number of free rate slots, oldest free first; returns how many each got.</summary>
    private async Task<Dictionary<string, int>> TakeSlotsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<KeyGrant> keys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var taken = new Dictionary<string, int>(StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return taken;
        }

        await using var command = new NpgsqlCommand(TakeSlotsSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = keys.Select(k => k.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("wanted", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = keys.Select(k => k.Admitted).ToArray() });
        // Polls leave the reserved slots to the requests a caller waits on (PoeBudget).
        command.Parameters.AddWithValue("budget", PoeBudget.PollSlots(poe.Value.RequestsPerMinute));
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("reusable", now + SlotPeriod);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = reader.GetString(0);
            taken[key] = taken.GetValueOrDefault(key) + 1;
        }

        return taken;
    }

    /// <summary>A key's state as read under its lock, and what the claim asks of it.</summary>
    internal sealed record KeyGrant(string Id, DateTimeOffset PacedUntil, bool Rejected, int Asked, int Admitted)
    {
        /// <summary>The claim order of the key's oldest due video.</summary>
        public DateTimeOffset OldestDue { get; init; }
    }
}
