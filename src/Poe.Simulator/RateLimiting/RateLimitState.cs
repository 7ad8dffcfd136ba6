namespace Poe.Simulator.RateLimiting;

/// <summary>What the x-ratelimit-* headers report for one key at one moment.</summary>
/// <param name="ResetAfter">Time until the oldest request in the window leaves it (zero when the window is empty).</param>
public sealed record RateLimitState(int Limit, int Remaining, TimeSpan ResetAfter);

/// <summary>The outcome of asking for a slot; <see cref="At"/> identifies the slot for a refund.</summary>
public sealed record RateLimitLease(bool Acquired, RateLimitState State, DateTimeOffset At)
{
    /// <summary>Whole seconds until a slot frees, at least 1 (for <c>Retry-After</c>).</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(State.ResetAfter.TotalSeconds));
}
