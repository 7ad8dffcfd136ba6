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
    /// variation in how long a request takes to reach Poe: on a loaded machine (the benchmark, load 20+ on 2 cores)
    /// a 1 s margin let 506 requests land in one 60 s window.
    /// </summary>
    public static readonly TimeSpan SlotMargin = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(15);

    public async Task<IReadOnlyList<ClaimedPoll>> ClaimAsync(int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var lease = now + poe.Value.Timeout + LeaseMargin;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var due = await SelectDueAsync(connection, transaction, now, limit, cancellationToken);
        if (due.Count == 0)
        {
            return [];
        }

        var claimed = new List<ClaimedPoll>();
        foreach (var byKey in due.Where(d => d.HasWatchers).GroupBy(d => d.Poll.PoeKeyId))
        {
            var granted = await GrantAsync(connection, transaction, byKey.Key, byKey.Count(), now, lease, cancellationToken);
            claimed.AddRange(byKey.Take(granted).Select(d => d.Poll with { Lease = lease }));
        }

        await LeaseAsync(connection, transaction, claimed, lease, cancellationToken);
        await DeleteAsync(connection, transaction, [.. due.Where(d => !d.HasWatchers).Select(d => d.Poll)], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    private static async Task<List<(ClaimedPoll Poll, bool HasWatchers)>> SelectDueAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset now, int limit, CancellationToken cancellationToken)
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
            ORDER BY p.next_poll_at
            LIMIT @limit
            FOR UPDATE OF p SKIP LOCKED
            """, connection, transaction);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("limit", limit);
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
    /// How many requests the key may send now: as many as its even pace admits and it has free rate slots. The key's
    /// row lock makes concurrent claims of one key (on any instance) take turns. A key that cannot send all it wants
    /// is held until it can send again, so its videos leave the claim scan and other keys' videos are not starved.
    /// A key Poe rejects (401) is re-probed with one request, and held while that probe is out, however many of its
    /// videos are waiting: the probe's answer either holds it another minute or clears it.
    /// </summary>
    private async Task<int> GrantAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string keyId, int wanted, DateTimeOffset now, DateTimeOffset lease, CancellationToken cancellationToken)
    {
        var budget = poe.Value.RequestsPerMinute;
        await using var read = new NpgsqlCommand("SELECT paced_until, unauthorized_since IS NOT NULL FROM bridge.poe_keys WHERE id = @key FOR UPDATE", connection, transaction);
        read.Parameters.AddWithValue("key", keyId);
        DateTimeOffset pacedUntil;
        bool rejected;
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return 0;
            }

            (pacedUntil, rejected) = (reader.GetFieldValue<DateTimeOffset>(0), reader.GetBoolean(1));
        }

        if (rejected)
        {
            wanted = Math.Min(wanted, 1);
        }

        var admitted = RatePacer.Admit(pacedUntil, now, wanted, budget);
        var granted = admitted == 0 ? 0 : await TakeSlotsAsync(connection, transaction, keyId, admitted, now, cancellationToken);
        var paced = RatePacer.After(pacedUntil, now, granted, budget);
        await using var update = new NpgsqlCommand("""
            UPDATE bridge.poe_keys SET paced_until = @paced,
                hold_until = GREATEST(CASE WHEN @short THEN GREATEST(hold_until, @next_admission,
                    CASE WHEN @slots_short THEN (SELECT min(available_at) FROM bridge.rate_slots WHERE poe_key_id = @key AND slot < @budget) END)
                ELSE hold_until END, @probe_until)
            WHERE id = @key
            """, connection, transaction);
        update.Parameters.AddWithValue("key", keyId);
        update.Parameters.AddWithValue("paced", paced);
        update.Parameters.AddWithValue("short", granted < wanted);
        update.Parameters.AddWithValue("next_admission", RatePacer.NextAdmission(paced, budget));
        update.Parameters.AddWithValue("slots_short", granted < admitted);
        update.Parameters.AddWithValue("budget", budget);
        update.Parameters.AddWithValue("probe_until", rejected && granted > 0 ? lease : now);
        await update.ExecuteNonQueryAsync(cancellationToken);
        return granted;
    }

    private async Task<int> TakeSlotsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string keyId, int wanted, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            WITH free AS (
                SELECT slot FROM bridge.rate_slots
                WHERE poe_key_id = @key AND slot < @budget AND available_at <= @now
                ORDER BY available_at, slot
                LIMIT @wanted
                FOR UPDATE SKIP LOCKED)
            UPDATE bridge.rate_slots s SET available_at = @reusable
            FROM free WHERE s.poe_key_id = @key AND s.slot = free.slot
            """, connection, transaction);
        command.Parameters.AddWithValue("key", keyId);
        command.Parameters.AddWithValue("budget", poe.Value.RequestsPerMinute);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("wanted", wanted);
        command.Parameters.AddWithValue("reusable", now + TimeSpan.FromMinutes(1) + SlotMargin);
        return await command.ExecuteNonQueryAsync(cancellationToken);
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

        await using var command = new NpgsqlCommand("""
            DELETE FROM bridge.video_polls p
            USING unnest(@keys, @videos) AS c(poe_key_id, video_id)
            WHERE p.poe_key_id = c.poe_key_id AND p.video_id = c.video_id
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = orphans.Select(c => c.PoeKeyId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("videos", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = orphans.Select(c => c.VideoId).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
