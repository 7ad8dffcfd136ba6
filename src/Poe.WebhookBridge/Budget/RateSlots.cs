using Npgsql;
using Poe.WebhookBridge.Infrastructure.Data;

namespace Poe.WebhookBridge.Budget;

/// <summary>
/// Every statement that writes <c>bridge.rate_slots</c>, raw SQL on the caller's connection: a key's slots created,
/// taken for a claim's polls, taken ahead of polls for a request a caller waits on.
/// </summary>
internal static class RateSlots
{
    /// <summary>
    /// Takes up to <c>$2</c> free slots of each key in <c>$1</c> among its first <c>$3</c>, oldest free first, and makes
    /// them free again at <c>$5</c>: one index range scan per key that stops after what it takes (public so a test can
    /// EXPLAIN the very statement the claim runs).
    /// </summary>
    public const string TakeFreeSql = """
        -- Picked once (MATERIALIZED): evaluated per row of a scan, the pick would pass over the slots this statement
        -- already took and take more.
        WITH picked AS MATERIALIZED (
            SELECT w.poe_key_id, ARRAY(
                SELECT r.slot FROM bridge.rate_slots r
                WHERE r.poe_key_id = w.poe_key_id AND r.slot < $3 AND r.available_at <= $4
                ORDER BY r.available_at, r.slot
                LIMIT w.wanted
                FOR UPDATE SKIP LOCKED) AS slots
            FROM unnest($1::text[], $2::int[]) AS w(poe_key_id, wanted))
        UPDATE bridge.rate_slots s SET available_at = $5
        FROM picked
        -- Each key's picks by primary key: a join to a set of (key, slot) rows is costed as if it took many, and the
        -- planner then hashes every slot of every key.
        WHERE s.poe_key_id = picked.poe_key_id AND s.slot = ANY (picked.slots)
        RETURNING s.poe_key_id
        """;

    /// <summary>Adds the creation of a key's slots <c>0 … budget - 1</c>, free since ever (idempotent).</summary>
    public static void Seed(NpgsqlBatch batch, string keyId, int budget) =>
        SqlCommands.Add(batch, """
            INSERT INTO bridge.rate_slots (poe_key_id, slot, available_at)
            SELECT $1, g, 'epoch' FROM generate_series(0, $2 - 1) AS g
            ON CONFLICT (poe_key_id, slot) DO NOTHING
            """, keyId, budget);

    /// <summary>
    /// Takes up to <paramref name="wanted"/> free slots of each key below <paramref name="slots"/>; returns how many each got.
    /// Runs in the transaction the claim began on <paramref name="connection"/> with a <c>BEGIN</c> statement.
    /// </summary>
    public static async Task<Dictionary<string, int>> TakeFreeAsync(
        NpgsqlConnection connection, string[] keyIds, int[] wanted, int slots, DateTimeOffset now, DateTimeOffset reusable,
        CancellationToken cancellationToken)
    {
        var taken = new Dictionary<string, int>(StringComparer.Ordinal);
        if (keyIds.Length == 0)
        {
            return taken;
        }

        await using var command = SqlCommands.Create(connection, null, TakeFreeSql, keyIds, wanted, slots, now, reusable);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = reader.GetString(0);
            taken[key] = taken.GetValueOrDefault(key) + 1;
        }

        return taken;
    }

    /// <summary>
    /// Takes the key's slot below <paramref name="slots"/> that frees first, even one still taken, if it may be used
    /// by <paramref name="latest"/> and no earlier than <paramref name="notBefore"/>, and makes it free again
    /// <paramref name="period"/> after it is used; returns when it may be used, or null when none is usable in time.
    /// </summary>
    public static async Task<DateTimeOffset?> TakeFirstFreeingAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string keyId, int slots, DateTimeOffset notBefore, DateTimeOffset latest, TimeSpan period,
        CancellationToken cancellationToken)
    {
        // SKIP LOCKED: a slot another request is taking right now is not waited for; the next one is taken.
        await using var command = SqlCommands.Create(connection, transaction, """
            WITH next AS (
                SELECT slot, GREATEST(available_at, $3) AS usable_at FROM bridge.rate_slots
                WHERE poe_key_id = $1 AND slot < $2
                ORDER BY GREATEST(available_at, $3), slot
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
            UPDATE bridge.rate_slots s SET available_at = next.usable_at + $5
            FROM next WHERE s.poe_key_id = $1 AND s.slot = next.slot AND next.usable_at <= $4
            RETURNING next.usable_at
            """, keyId, slots, notBefore, latest, period);
        return Timestamp(await command.ExecuteScalarAsync(cancellationToken));
    }

    /// <summary>When the first of the key's slots below <paramref name="slots"/> frees, taken or not.</summary>
    public static async Task<DateTimeOffset?> FirstFreeingAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string keyId, int slots, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(connection, transaction,
            "SELECT min(available_at) FROM bridge.rate_slots WHERE poe_key_id = $1 AND slot < $2", keyId, slots);
        return Timestamp(await command.ExecuteScalarAsync(cancellationToken));
    }

    private static DateTimeOffset? Timestamp(object? value) => value switch
    {
        DateTimeOffset offset => offset,
        DateTime utc => new DateTimeOffset(utc, TimeSpan.Zero),
        _ => null,
    };
}
