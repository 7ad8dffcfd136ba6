namespace Poe.Simulator.RateLimiting;

/// <summary>What the x-ratelimit-* headers report for one key at one moment.</summary>
/// <param name="ResetAfter">Time until the oldest request in the window leaves it (zero when the window is empty).</param>
public sealed record RateLimitState(int Limit, int Remaining, TimeSpan ResetAfter);
