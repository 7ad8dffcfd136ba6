using Npgsql;
using Poe.WebhookBridge.Infrastructure.Data;

namespace Poe.WebhookBridge.Budget;

/// <summary>
/// Every statement that writes <c>bridge.poe_keys</c>, raw SQL on the caller's transaction: a key's row created, its
/// pace and holds after a claim, and what Poe's answers teach (429 and <c>remaining: 0</c> holds, 401 rejection, and
/// the end of both once Poe answers).
/// </summary>
internal static class PoeKeys
{
    /// <summary>
    /// Keys that answered are neither rejected nor backing off any more; a rejected key's hold only waited for its
    /// probe, and the probe got through, so its videos may go now.
    /// </summary>
    private const string AnsweredSql = """
        UPDATE bridge.poe_keys SET unauthorized_since = NULL, backoff_seconds = 0,
            hold_until = CASE WHEN unauthorized_since IS NOT NULL THEN LEAST(hold_until, $2) ELSE hold_until END
        WHERE id = ANY($1) AND (unauthorized_since IS NOT NULL OR backoff_seconds <> 0)
        """;

    /// <summary>Adds the creation of a key's row, neither held nor paced (idempotent).</summary>
    public static void Seed(NpgsqlBatch batch, string keyId) =>
        SqlCommands.Add(batch, """
            INSERT INTO bridge.poe_keys (id, hold_until, backoff_seconds, paced_until) VALUES ($1, 'epoch', 0, 'epoch') ON CONFLICT (id) DO NOTHING
            """, keyId);

    /// <summary>Adds, to a batched write-back, that these keys answered.</summary>
    public static void AddAnswered(NpgsqlBatch batch, string[] keyIds, DateTimeOffset now) => SqlCommands.Add(batch, AnsweredSql, keyIds, now);

    public static async Task AnsweredAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string keyId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(connection, transaction, AnsweredSql, new[] { keyId }, now);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Poe rejects the key: marked rejected since the first 401, held until <paramref name="probeAt"/>.</summary>
    public static async Task RejectAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string keyId, DateTimeOffset now, DateTimeOffset probeAt, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(connection, transaction, """
            UPDATE bridge.poe_keys SET unauthorized_since = COALESCE(unauthorized_since, $2), hold_until = GREATEST(hold_until, $3)
            WHERE id = $1
            """, keyId, now, probeAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Holds the key until at least <paramref name="until"/>.</summary>
    public static async Task HoldAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string keyId, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(connection, transaction, "UPDATE bridge.poe_keys SET hold_until = GREATEST(hold_until, $2) WHERE id = $1", keyId, until);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Until when Poe's last 429 asked the key to wait; null for a key without a row.</summary>
    public static async Task<DateTimeOffset?> RateLimitedUntilAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string keyId, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(connection, transaction, "SELECT rate_limited_until FROM bridge.poe_keys WHERE id = $1", keyId);
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime utc ? new DateTimeOffset(utc, TimeSpan.Zero) : null;
    }

    /// <summary>Locks the key's row for a 429's hold and reads its back-off state; null for a key without a row.</summary>
    public static async Task<(double BackoffSeconds, DateTimeOffset RateLimitedUntil)?> LockBackoffAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string keyId, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(connection, transaction,
            "SELECT backoff_seconds, rate_limited_until FROM bridge.poe_keys WHERE id = $1 FOR UPDATE", keyId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetDouble(0), reader.GetFieldValue<DateTimeOffset>(1)) : null;
    }

    /// <summary>A 429's hold: the key's back-off becomes <paramref name="backoffSeconds"/>, and it pauses until at least <paramref name="until"/>.</summary>
    public static async Task RateLimitAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string keyId, double backoffSeconds, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(connection, transaction, """
            UPDATE bridge.poe_keys SET backoff_seconds = $2, hold_until = GREATEST(hold_until, $3),
                rate_limited_until = GREATEST(rate_limited_until, $3)
            WHERE id = $1
            """, keyId, backoffSeconds, until);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// After a claim, each key's new pace; a key that got less than it asked is held until its next admission, and
    /// until its first poll slot (below <c>$1</c>) frees when slots were what it lacked; a rejected key whose probe went
    /// out is held until that probe's lease ends. Added to the claim's last batch, which runs after its slots were taken.
    /// </summary>
    public static void AddAfterClaim(
        NpgsqlBatch batch, int pollSlots, string[] keyIds, DateTimeOffset[] paced, bool[] isShort,
        DateTimeOffset[] nextAdmission, bool[] slotsShort, DateTimeOffset[] probeUntil) =>
        SqlCommands.Add(batch, """
            UPDATE bridge.poe_keys k SET paced_until = u.paced,
                hold_until = GREATEST(CASE WHEN u.short THEN GREATEST(k.hold_until, u.next_admission,
                    CASE WHEN u.slots_short THEN (SELECT min(available_at) FROM bridge.rate_slots r WHERE r.poe_key_id = k.id AND r.slot < $1) END)
                ELSE k.hold_until END, u.probe_until)
            FROM unnest($2::text[], $3::timestamptz[], $4::boolean[], $5::timestamptz[], $6::boolean[], $7::timestamptz[])
                AS u(id, paced, short, next_admission, slots_short, probe_until)
            WHERE k.id = u.id
            """, pollSlots, keyIds, paced, isShort, nextAdmission, slotsShort, probeUntil);
}
