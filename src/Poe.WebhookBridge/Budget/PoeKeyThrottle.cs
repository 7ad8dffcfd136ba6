using Npgsql;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Budget;

/// <summary>What a Poe answer teaches about its key, applied to the key's shared state on the caller's transaction.</summary>
internal static class PoeKeyThrottle
{
    private const double MaxBackoffSeconds = 60;

    /// <param name="sentAt">When the request that got <paramref name="response"/> was sent.</param>
    public static async Task ApplyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string keyId, PoeResponse response, DateTimeOffset sentAt, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        switch (response.Outcome)
        {
            case PoeOutcome.RateLimited:
                await HoldAfterRateLimitAsync(connection, transaction, keyId, response, sentAt, now, cancellationToken);
                break;
            case PoeOutcome.Unauthorized:
                await PoeKeys.RejectAsync(connection, transaction, keyId, now, now + PoeBudget.UnauthorizedProbeInterval, cancellationToken);
                break;
            case PoeOutcome.Video or PoeOutcome.NotFound:
                await PoeKeys.AnsweredAsync(connection, transaction, keyId, now, cancellationToken);
                break;
        }

        // Poe says the window is spent: wait for its reset rather than provoke a 429.
        if (response.Outcome != PoeOutcome.RateLimited && response.Hints is { Remaining: 0, Reset: { } reset })
        {
            await PoeKeys.HoldAsync(connection, transaction, keyId, now + reset, cancellationToken);
        }
    }

    /// <summary>
    /// Retry-After first, then Poe's reset header; without either, 1 s doubling with jitter up to 60 s. Only a 429 to a
    /// request sent after the last pause ended doubles it: the requests already out when a 429 arrives (a claim sends
    /// up to a hundred at once) come back 429 together, and counting each as one more refusal would pause the key for
    /// the full minute after a single one.
    /// </summary>
    private static async Task HoldAfterRateLimitAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string keyId, PoeResponse response, DateTimeOffset sentAt, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var key = await PoeKeys.LockBackoffAsync(connection, transaction, keyId, cancellationToken);
        var sameEpisode = key is { } state && sentAt < state.RateLimitedUntil;
        var backoff = sameEpisode ? Math.Max(key!.Value.BackoffSeconds, 1) : Math.Clamp((key?.BackoffSeconds ?? 0) * 2, 1, MaxBackoffSeconds);
        var hint = response.RetryAfter ?? response.Hints?.Reset;
        if (sameEpisode && hint is null)
        {
            return;
        }

#pragma warning disable CA5394 // Jitter spreads retries; it needs no cryptographic randomness.
        var until = now + (hint ?? TimeSpan.FromSeconds(Math.Min(MaxBackoffSeconds, backoff * (0.8 + (Random.Shared.NextDouble() * 0.4)))));
#pragma warning restore CA5394
        await PoeKeys.RateLimitAsync(connection, transaction, keyId, backoff, until, cancellationToken);
    }
}
