using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Poe.WebhookBridge.Polling;

/// <summary>
/// Claims due videos, oldest due first, in one short transaction, and only as many per Poe key as that key has free
/// rate slots: the budget is spent before the request is sent, so all instances together stay within it.
/// </summary>
public sealed class PollClaimer(NpgsqlDataSource dataSource, IOptions<PoeOptions> poe, IOptions<PollingOptions> polling, TimeProvider time)
{
    /// <summary>A claim not sent within this is given back unsent: its slot was counted from the claim.</summary>
    public static readonly TimeSpan SendDeadline = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A slot taken now is free again after one minute plus this. It must exceed <see cref="SendDeadline"/> by the
    /// variation in how long a request takes to reach Poe: on a loaded machine (the benchmark, load 20+ on 2 cores)
    /// a 1 s margin let 506 requests land in one 60 s window.
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

        var due = await SelectDueAsync(connection, transaction, now, limit, AdaptiveCadence.UrgentAfter(polling.Value.MaxInterval), cancellationToken);
        if (due.Count == 0)
        {
            return [];
        }

        var byKey = due.Where(d => d.HasWatchers).GroupBy(d => d.Poll.PoeKeyId, StringComparer.Ordinal).ToList();
        var granted = await GrantAsync(connection, transaction, byKey.ToDictionary(k => k.Key, k => k.Count(), StringComparer.Ordinal), now, lease, cancellationToken);
        var claimed = byKey.SelectMany(k => k.Take(granted.GetValueOrDefault(k.Key)).Select(d => d.Poll with { Lease = lease })).ToList();

        await LeaseAsync(connection, transaction, claimed, lease, cancellationToken);
        await DeleteAsync(connection, transaction, [.. due.Where(d => !d.HasWatchers).Select(d => d.Poll)], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    private static async Task<List<(ClaimedPoll Poll, bool HasWatchers)>> SelectDueAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset now, int limit, TimeSpan urgentAfter, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT p.poe_key_id, p.video_id, p.next_poll_at, p.failure_count, p.last_status, p.last_progress,
                   p.progress_started_at, p.progress_started_value,
                   -- One look at the video's active watches: NULL when there are none, else whether any asked for progress.
                   (SELECT bool_or('video.progress' = ANY (w.events)) FROM bridge.watches w
                    WHERE w.poe_key_id = p.poe_key_id AND w.video_id = p.video_id AND w.status = 'active')
            FROM bridge.video_polls p
            WHERE p.next_poll_at <= @now
              AND NOT EXISTS (SELECT 1 FROM bridge.poe_keys k WHERE k.id = p.poe_key_id AND k.hold_until > @now)
            ORDER BY LEAST(p.next_poll_at, p.last_polled_at + @urgent_after)
            LIMIT @limit
            FOR UPDATE OF p SKIP LOCKED
            """, connection, transaction);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("limit", limit);
        command.Parameters.AddWithValue("urgent_after", urgentAfter);
        var rows = new List<(ClaimedPoll, bool)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var poll = new ClaimedPoll(
                reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), now, now,
                reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetInt32(5))
            {
                ProgressStartedAt = reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                ProgressStartedValue = reader.IsDBNull(7) ? null : reader.GetInt32(7),
                ProgressSubscribed = !reader.IsDBNull(8) && reader.GetBoolean(8),
            };
            rows.Add((poll, !reader.IsDBNull(8)));
        }

        return rows;
    }

    /// <summary>
    /// How many requests each key may send now: as many as its even pace admits and it has free rate slots. The keys'
    /// row locks (taken in id order) make concurrent claims of one key (on any instance) take turns. A key that cannot
    /// send all it wants is held until it can send again, so its videos leave the claim scan and other keys' videos
    /// are not starved. A key Poe rejects (401) is re-probed with one request, and held while that probe is out,
    /// however many of its videos are waiting: the probe's answer either holds it another minute or clears it.
    /// Every step serves all the claim's keys in one statement, so a claim costs the same few round trips for one
    /// key or two hundred.
    /// </summary>
    private async Task<Dictionary<string, int>> GrantAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Dictionary<string, int> wanted, DateTimeOffset now, DateTimeOffset lease, CancellationToken cancellationToken)
    {
        var budget = poe.Value.RequestsPerMinute;
        var keys = new List<KeyGrant>();
        await using (var read = new NpgsqlCommand(
            "SELECT id, paced_until, unauthorized_since IS NOT NULL FROM bridge.poe_keys WHERE id = ANY(@keys) ORDER BY id FOR UPDATE", connection, transaction))
        {
            read.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = wanted.Keys.ToArray() });
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var (id, pacedUntil, rejected) = (reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetBoolean(2));
                var asked = rejected ? Math.Min(wanted[id], 1) : wanted[id];
                keys.Add(new KeyGrant(id, pacedUntil, rejected, asked, RatePacer.Admit(pacedUntil, now, asked, budget)));
            }
        }

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

    /// <summary>Takes up to each key's admitted number of free rate slots, oldest free first; returns how many each got.</summary>
    private async Task<Dictionary<string, int>> TakeSlotsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<KeyGrant> keys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var taken = new Dictionary<string, int>(StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return taken;
        }

        await using var command = new NpgsqlCommand("""
            WITH free AS (
                SELECT f.poe_key_id, f.slot
                FROM unnest(@keys, @wanted) AS w(poe_key_id, wanted)
                CROSS JOIN LATERAL (
                    SELECT r.poe_key_id, r.slot FROM bridge.rate_slots r
                    WHERE r.poe_key_id = w.poe_key_id AND r.slot < @budget AND r.available_at <= @now
                    ORDER BY r.available_at, r.slot
                    LIMIT w.wanted
                    FOR UPDATE SKIP LOCKED) f)
            UPDATE bridge.rate_slots s SET available_at = @reusable
            FROM free WHERE s.poe_key_id = free.poe_key_id AND s.slot = free.slot
            RETURNING s.poe_key_id
            """, connection, transaction);
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

    private static async Task LeaseAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<ClaimedPoll> claimed, DateTimeOffset lease, CancellationToken cancellationToken)
    {
        if (claimed.Count == 0)
        {
            return;
        }

        // Moving next_poll_at to the lease end takes claimed rows out of the due range, and brings them back by themselves if this instance dies.
        await using var command = new NpgsqlCommand("""
            UPDATE bridge.video_polls p SET next_poll_at = @lease, claimed_until = @lease
            FROM unnest(@keys, @videos) AS c(poe_key_id, video_id)
            WHERE p.poe_key_id = c.poe_key_id AND p.video_id = c.video_id
            """, connection, transaction);
        command.Parameters.AddWithValue("lease", lease);
        command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = claimed.Select(c => c.PoeKeyId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("videos", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = claimed.Select(c => c.VideoId).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task DeleteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<ClaimedPoll> orphans, CancellationToken cancellationToken)
    {
        if (orphans.Count == 0)
        {
            return;
        }

        // The claim judged these orphans from its statement's snapshot; this statement's newer one also sees a watch
        // registered while the claim ran, whose poll target must stay.
        await using var command = new NpgsqlCommand("""
            DELETE FROM bridge.video_polls p
            USING unnest(@keys, @videos) AS c(poe_key_id, video_id)
            WHERE p.poe_key_id = c.poe_key_id AND p.video_id = c.video_id
              AND NOT EXISTS (SELECT 1 FROM bridge.watches w
                              WHERE w.poe_key_id = p.poe_key_id AND w.video_id = p.video_id AND w.status = 'active')
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = orphans.Select(c => c.PoeKeyId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("videos", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = orphans.Select(c => c.VideoId).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A key's state as read under its lock, and what the claim asks of it.</summary>
    private sealed record KeyGrant(string Id, DateTimeOffset PacedUntil, bool Rejected, int Asked, int Admitted);
}
