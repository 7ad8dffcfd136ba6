namespace Poe.Simulator.RateLimiting;

/// <summary>The outcome of asking for a slot; <see cref="At"/> identifies the slot for a refund.</summary>
public sealed record RateLimitLease(bool Acquired, RateLimitState State, DateTimeOffset At)
{
    /// <summary>Whole seconds until a slot frees, at least 1 (for <c>Retry-After</c>).</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(State.ResetAfter.TotalSeconds));
}
