using Microsoft.EntityFrameworkCore;
using Npgsql;
using Poe.WebhookBridge.Infrastructure.Data;

namespace Poe.WebhookBridge.Polling;

/// <summary>What a Poe answer teaches about its key, applied to the key's shared state in the write-back transaction.</summary>
internal static class PoeKeyThrottle
{
    private const double MaxBackoffSeconds = 60;
    public static readonly TimeSpan UnauthorizedProbeInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Keys that answered are neither rejected nor backing off any more; a rejected key's hold only waited for its
    /// probe, and the probe got through, so its videos may go now. Shared by the one-by-one and the batched write-backs.
    /// </summary>
    public const string KeysAnsweredSql = """
        UPDATE bridge.poe_keys SET unauthorized_since = NULL, backoff_seconds = 0,
            hold_until = CASE WHEN unauthorized_since IS NOT NULL THEN LEAST(hold_until, @now) ELSE hold_until END
        WHERE id = ANY(@keys) AND (unauthorized_since IS NOT NULL OR backoff_seconds <> 0)
        """;

    public static NpgsqlParameter[] KeysAnsweredParameters(string[] keyIds, DateTimeOffset now) =>
        [new NpgsqlParameter("keys", keyIds), new NpgsqlParameter("now", now)];

    /// <param name="sentAt">When the request that got <paramref name="response"/> was sent.</param>
    public static async Task ApplyAsync(this BridgeDbContext db, string keyId, PoeResponse response, DateTimeOffset sentAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        switch (response.Outcome)
        {
            case PoeOutcome.RateLimited:
                await HoldAfterRateLimitAsync(db, keyId, response, sentAt, now, cancellationToken);
                break;
            case PoeOutcome.Unauthorized:
                var probeAt = now + UnauthorizedProbeInterval;
                await db.Database.ExecuteSqlAsync($"""
                    UPDATE bridge.poe_keys SET unauthorized_since = COALESCE(unauthorized_since, {now}), hold_until = GREATEST(hold_until, {probeAt})
                    WHERE id = {keyId}
                    """, cancellationToken);
                break;
            case PoeOutcome.Video or PoeOutcome.NotFound:
                await db.Database.ExecuteSqlRawAsync(KeysAnsweredSql, KeysAnsweredParameters([keyId], now), cancellationToken);
                break;
        }

        // Poe says the window is spent: wait for its reset rather than provoke a 429.
        if (response.Outcome != PoeOutcome.RateLimited && response.Hints is { Remaining: 0, Reset: { } reset })
        {
            var until = now + reset;
            await db.Database.ExecuteSqlAsync($"UPDATE bridge.poe_keys SET hold_until = GREATEST(hold_until, {until}) WHERE id = {keyId}", cancellationToken);
        }
    }

    /// <summary>
    /// Retry-After first, then Poe's reset header; without either, 1 s doubling with jitter up to 60 s. Only a 429 to a
    /// request sent after the last pause ended doubles it: the requests already out when a 429 arrives (a claim sends
    /// up to a hundred at once) come back 429 together, and counting each as one more refusal would pause the key for
    /// the full minute after a single one.
    /// </summary>
    private static async Task HoldAfterRateLimitAsync(
        BridgeDbContext db, string keyId, PoeResponse response, DateTimeOffset sentAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = await db.PoeKeys.FromSql($"SELECT * FROM bridge.poe_keys WHERE id = {keyId} FOR UPDATE").AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        var sameEpisode = key is not null && sentAt < key.RateLimitedUntil;
        var backoff = sameEpisode ? Math.Max(key!.BackoffSeconds, 1) : Math.Clamp((key?.BackoffSeconds ?? 0) * 2, 1, MaxBackoffSeconds);
        var hint = response.RetryAfter ?? response.Hints?.Reset;
        if (sameEpisode && hint is null)
        {
            return;
        }

#pragma warning disable CA5394 // Jitter spreads retries; it needs no cryptographic randomness.
        var until = now + (hint ?? TimeSpan.FromSeconds(Math.Min(MaxBackoffSeconds, backoff * (0.8 + (Random.Shared.NextDouble() * 0.4)))));
#pragma warning restore CA5394
        await db.Database.ExecuteSqlAsync($"""
            UPDATE bridge.poe_keys SET backoff_seconds = {backoff}, hold_until = GREATEST(hold_until, {until}),
                rate_limited_until = GREATEST(rate_limited_until, {until})
            WHERE id = {keyId}
            """, cancellationToken);
    }
}
