using Microsoft.Extensions.Options;
using Npgsql;

namespace Poe.WebhookBridge.Polling;

/// <summary>
/// The rate slots of a Poe key as requests that a caller waits on use them (create, remix, extend, content): such a
/// request goes ahead of routine polls. It takes the key's slot that frees first, even one still taken, and waits for
/// it: polls take only slots already free, so that slot is this request's. A few slots per key are never given to
/// polls (<see cref="ReservedSlots"/>), so a caller's request finds one soon even while polls spend the whole budget.
/// Every request still holds a slot for <see cref="PollClaimer.SlotPeriod"/>, so no 60 s window exceeds the budget.
/// </summary>
public sealed class PoeBudget(NpgsqlDataSource dataSource, IOptions<PoeOptions> poe, TimeProvider time)
{
    /// <summary>
    /// Slots kept from polls: one in fifty, at least two once the budget is ten or more. Polls that spend the whole
    /// budget take slots as they free, and a burst's slots free together a minute later, leaving gaps of some seconds
    /// in which no slot frees at all: the reserve is what a caller's request finds in such a gap.
    /// </summary>
    public static int ReservedSlots(int budget) => budget < 10 ? 0 : Math.Max(2, budget / 50);

    /// <summary>The slots routine polls may take (the lowest-numbered ones).</summary>
    public static int PollSlots(int budget) => budget - ReservedSlots(budget);

    /// <summary>The longest a caller's request waits for a slot: <c>Poe:Timeout</c>, as long as it would wait for Poe.</summary>
    public TimeSpan MaxWait => poe.Value.Timeout;

    /// <summary>
    /// Takes a slot of the key and waits until it may be used; or, when none frees within <see cref="MaxWait"/>,
    /// takes nothing and returns how long until one does (for <c>Retry-After</c>).
    /// </summary>
    public async Task<TimeSpan?> TakeAsync(string poeKeyId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        DateTimeOffset sendAt;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            // SKIP LOCKED: a slot another request is taking right now is not waited for; the next one is taken.
            await using var command = new NpgsqlCommand("""
                WITH next AS (
                    SELECT slot, available_at FROM bridge.rate_slots
                    WHERE poe_key_id = @key AND slot < @budget
                    ORDER BY GREATEST(available_at, @now), slot
                    LIMIT 1
                    FOR UPDATE SKIP LOCKED)
                UPDATE bridge.rate_slots s SET available_at = GREATEST(next.available_at, @now) + @period
                FROM next WHERE s.poe_key_id = @key AND s.slot = next.slot AND next.available_at <= @latest
                RETURNING (SELECT available_at FROM next)
                """, connection, transaction);
            command.Parameters.AddWithValue("key", poeKeyId);
            command.Parameters.AddWithValue("budget", poe.Value.RequestsPerMinute);
            command.Parameters.AddWithValue("now", now);
            command.Parameters.AddWithValue("latest", now + MaxWait);
            command.Parameters.AddWithValue("period", PollClaimer.SlotPeriod);
            var freeAt = await command.ExecuteScalarAsync(cancellationToken);
            if (freeAt is not DateTimeOffset and not DateTime)
            {
                await transaction.RollbackAsync(cancellationToken);
                return await NextFreeAsync(connection, poeKeyId, now, cancellationToken);
            }

            sendAt = freeAt is DateTime utc ? new DateTimeOffset(utc, TimeSpan.Zero) : (DateTimeOffset)freeAt;
            await transaction.CommitAsync(cancellationToken);
        }

        if (sendAt > now)
        {
            await Task.Delay(sendAt - now, time, cancellationToken);
        }

        return null;
    }

    private async Task<TimeSpan> NextFreeAsync(NpgsqlConnection connection, string poeKeyId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT min(available_at) FROM bridge.rate_slots WHERE poe_key_id = @key AND slot < @budget", connection);
        command.Parameters.AddWithValue("key", poeKeyId);
        command.Parameters.AddWithValue("budget", poe.Value.RequestsPerMinute);
        var next = await command.ExecuteScalarAsync(cancellationToken);
        var wait = next is DateTime at ? new DateTimeOffset(at, TimeSpan.Zero) - now : next is DateTimeOffset offset ? offset - now : MaxWait;
        return wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);
    }
}
