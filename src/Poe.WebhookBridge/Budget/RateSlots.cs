using Npgsql;
using Poe.WebhookBridge.Infrastructure.Data;

namespace Poe.WebhookBridge.Budget;

/// <summary>
/// Every statement that writes <c>bridge.rate_slots</c>, raw SQL on the caller's connection: a key's slots created,
/// taken for a claim's polls (CTEs of the claim's statement), taken ahead of polls for a request a caller waits on.
/// </summary>
internal static class RateSlots
{
    /// <summary>
    /// CTEs of a statement that takes free slots: for each row of a relation <c>wanted(poe_key_id, wanted)</c> defined
    /// before them, up to <c>wanted</c> free slots of the key among its first <c>@slots</c>, oldest free first, free again
    /// at <c>@reusable</c>; <c>taken</c> returns each slot's key. One index range scan per key that stops after what it
    /// takes.
    /// </summary>
    public const string TakeFreeCtes = """
        -- Picked once (MATERIALIZED): evaluated per row of a scan, the pick would pass over the slots this statement
        -- already took and take more.
        picked AS MATERIALIZED (
            SELECT ARRAY(
                SELECT r.ctid FROM bridge.rate_slots r
                WHERE r.poe_key_id = w.poe_key_id AND r.slot < @slots AND r.available_at <= @now
                ORDER BY r.available_at, r.slot
                LIMIT w.wanted
                FOR UPDATE SKIP LOCKED) AS slots
            FROM wanted w
            WHERE w.wanted > 0),
        taken AS (
            UPDATE bridge.rate_slots s SET available_at = @reusable
            -- The picked rows by their row address (locked, so it cannot move before this update): a TID scan whatever
            -- the planner guesses of the picks, where a join to them, costed as if they were many, hashed every slot.
            WHERE s.ctid = ANY (ARRAY(SELECT unnest(picked.slots) FROM picked))
            RETURNING s.poe_key_id)
        """;

    /// <summary>Adds the creation of a key's slots <c>0 … budget - 1</c>, free since ever (idempotent).</summary>
    public static void Seed(NpgsqlBatch batch, string keyId, int budget) =>
        SqlCommands.Add(batch, """
            INSERT INTO bridge.rate_slots (poe_key_id, slot, available_at)
            SELECT $1, g, 'epoch' FROM generate_series(0, $2 - 1) AS g
            ON CONFLICT (poe_key_id, slot) DO NOTHING
            """, keyId, budget);

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
