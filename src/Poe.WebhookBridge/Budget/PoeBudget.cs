using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Budget;

/// <summary>
/// The Poe budget: whether a Poe key may send now, and when next. Per key, all instances together send at most
/// <c>Poe:RequestsPerMinute</c> requests in any 60 s window, spread evenly over the minute, and none while Poe holds
/// the key back. The rules, each in its own type of this folder:
/// <list type="bullet">
/// <item>rate slots (<see cref="RateSlots"/>): a request takes a free slot before it is sent and keeps it for
/// <see cref="SlotPeriod"/>, so no window holds more requests than there are slots, whichever instance sent them;</item>
/// <item>pacing (<see cref="RatePacer"/>): a key's polls go at an even rate rather than in a burst;</item>
/// <item>holds (<see cref="PoeKeyThrottle"/>, <see cref="PoeKeys"/>): a 429 or <c>remaining: 0</c> holds the key's
/// polls until Poe's time, a 401 until its next probe; a 429 holds a caller's request too (<see cref="TakeAsync"/>);</item>
/// <item>the send deadline (<see cref="MissedSendDeadline"/>): a poll not sent soon after its claim gives its slot back;</item>
/// <item>ahead of polls (<see cref="TakeAsync"/>): a request a caller waits on (create, remix, extend, content) takes
/// the slot that frees first, even one still taken, and waits for it: polls take only slots already free, so that slot
/// is this request's. A few slots per key are never given to polls (<see cref="ReservedSlots"/>).</item>
/// </list>
/// </summary>
public sealed class PoeBudget(NpgsqlDataSource dataSource, TimeProvider time, IOptions<PoeOptions> poe)
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

    /// <summary>How often a key Poe rejects (401) is probed with one request.</summary>
    public static readonly TimeSpan UnauthorizedProbeInterval = TimeSpan.FromMinutes(1);

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

    /// <summary>Whether a claimed poll sent at <paramref name="sentAt"/> is too late to use the slot taken at its claim.</summary>
    public static bool MissedSendDeadline(ClaimedPoll poll, DateTimeOffset sentAt) => sentAt - poll.ClaimedAt > SendDeadline;

    /// <summary>How many of <paramref name="wanted"/> polls a key's pace admits now; a key Poe rejects, one (its probe).</summary>
    public static int AdmitPolls(DateTimeOffset pacedUntil, bool rejected, DateTimeOffset now, int wanted, int budget) =>
        RatePacer.Admit(pacedUntil, now, rejected ? 1 : wanted, budget);

    /// <summary>
    /// CTEs of the claim's statement (<see cref="PollClaimer.ClaimSql"/>) that take rate slots for its polls, after a CTE
    /// <c>due</c> of the targets it locked (<c>poe_key_id</c>, and <c>watched</c>, null for a target no active watch
    /// needs): each key of <c>@grant_keys</c> takes a free slot for each of its watched targets, up to what its pace
    /// admits (<c>@admitted</c>), among the slots polls may take (<see cref="PollSlots"/>: the reserve is left to the
    /// requests a caller waits on). <c>wanted</c> gives what each key sought, <c>taken</c> a row per slot it got. Taken in
    /// the statement that reads the targets, so a claim spends no round trip of its own on its slots.
    /// </summary>
    internal const string TakePollSlotsCtes = $"""
        -- One row per key of @grant_keys: estimated as the array's length, which keeps the slot take a nested loop over
        -- each key's index range (an estimate of many rows makes the planner hash every slot of every key).
        wanted AS (
            SELECT a.poe_key_id, LEAST(a.admitted, COALESCE(c.watched, 0))::int AS wanted
            FROM unnest(@grant_keys::text[], @admitted::int[]) AS a(poe_key_id, admitted)
            LEFT JOIN (SELECT poe_key_id, count(*) AS watched FROM due WHERE watched IS NOT NULL GROUP BY poe_key_id) c
                ON c.poe_key_id = a.poe_key_id),
        {RateSlots.TakeFreeCtes}
        """;

    /// <summary>Adds the parameters of <see cref="TakePollSlotsCtes"/> (but <c>@now</c>) for these keys' pace admissions.</summary>
    internal static void AddPollSlotParameters(NpgsqlParameterCollection parameters, IReadOnlyList<KeyGrant> keys, int budget, DateTimeOffset now)
    {
        parameters.Add(new NpgsqlParameter("grant_keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = keys.Select(k => k.Id).ToArray() });
        parameters.Add(new NpgsqlParameter("admitted", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = keys.Select(k => k.Admitted).ToArray() });
        parameters.AddWithValue("slots", PollSlots(budget));
        parameters.AddWithValue("reusable", now + SlotPeriod);
    }

    /// <summary>
    /// Adds to <paramref name="writes"/>, the claim's last batch (with its lease and commit), each key's pace moved on by
    /// the polls it got slots for (<paramref name="granted"/>). A key that cannot send all it asked for is held until it
    /// can send again, so its videos leave the claim until then; when slots were what it lacked (it got fewer than it
    /// sought, <paramref name="wanted"/>), until its first slot frees. A key Poe rejects (401) is re-probed with one
    /// request, and held while that probe is out (until <paramref name="lease"/>), however many of its videos are
    /// waiting: the probe's answer either holds it another minute or clears it.
    /// </summary>
    internal static void AddAfterGrant(
        NpgsqlBatch writes, IReadOnlyList<KeyGrant> keys, IReadOnlyDictionary<string, int> granted, IReadOnlyDictionary<string, int> wanted,
        int budget, DateTimeOffset now, DateTimeOffset lease)
    {
        var sent = keys.Select(k => granted.GetValueOrDefault(k.Id)).ToArray();
        var paced = keys.Select((k, i) => RatePacer.After(k.PacedUntil, now, sent[i], budget)).ToArray();
        PoeKeys.AddAfterClaim(
            writes, PollSlots(budget),
            [.. keys.Select(k => k.Id)],
            paced,
            [.. keys.Select((k, i) => sent[i] < k.Asked)],
            [.. paced.Select(p => RatePacer.NextAdmission(p, budget))],
            [.. keys.Select((k, i) => sent[i] < wanted.GetValueOrDefault(k.Id))],
            [.. keys.Select((k, i) => k.Rejected && sent[i] > 0 ? lease : now)]);
    }

    /// <summary>Applies what a Poe answer teaches about its key (429 and <c>remaining: 0</c> holds, 401) on the caller's transaction.</summary>
    /// <param name="sentAt">When the request that got <paramref name="response"/> was sent.</param>
    public static Task LearnAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string keyId, PoeResponse response, DateTimeOffset sentAt, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        PoeKeyThrottle.ApplyAsync(connection, transaction, keyId, response, sentAt, now, cancellationToken);

    /// <summary>Adds, to a batched write-back of answered polls, that their keys answered (no longer rejected nor backing off).</summary>
    public static void AddAnswered(NpgsqlBatch batch, string[] keyIds, DateTimeOffset now) => PoeKeys.AddAnswered(batch, keyIds, now);

    /// <summary>Applies what a Poe answer teaches about its key, in a transaction of its own.</summary>
    /// <param name="sentAt">When the request that got <paramref name="response"/> was sent.</param>
    public async Task LearnAsync(string keyId, PoeResponse response, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PoeKeyThrottle.ApplyAsync(connection, transaction, keyId, response, sentAt, time.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Takes a slot of the key for a request a caller waits on, and waits until it may be used — never before the end of
    /// a pause Poe asked for with a 429; or, when none is usable within <see cref="MaxWait"/>, takes nothing and returns
    /// how long until one is (for <c>Retry-After</c>).
    /// </summary>
    public async Task<TimeSpan?> TakeAsync(string poeKeyId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var budget = poe.Value.RequestsPerMinute;
        DateTimeOffset sendAt;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            var notBefore = await PoeKeys.RateLimitedUntilAsync(connection, transaction, poeKeyId, cancellationToken) is { } paused && paused > now ? paused : now;
            if (await RateSlots.TakeFirstFreeingAsync(connection, transaction, poeKeyId, budget, notBefore, now + MaxWait, SlotPeriod, cancellationToken) is not { } freeAt)
            {
                var next = await RateSlots.FirstFreeingAsync(connection, transaction, poeKeyId, budget, cancellationToken);
                await transaction.RollbackAsync(cancellationToken);
                var usable = next ?? now + MaxWait;
                var wait = (usable > notBefore ? usable : notBefore) - now;
                return wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);
            }

            sendAt = freeAt;
            await transaction.CommitAsync(cancellationToken);
        }

        if (sendAt > now)
        {
            await Task.Delay(sendAt - now, time, cancellationToken);
        }

        return null;
    }
}
