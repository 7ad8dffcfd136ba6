namespace Poe.WebhookBridge.Delivery;

/// <summary>What one POST to a callback came to.</summary>
public sealed record AttemptResult(string Outcome, DateTimeOffset At, TimeSpan Duration, int? StatusCode, string? Error, TimeSpan? RetryAfter = null)
{
    public const int MaxErrorLength = 500;

    public bool Delivered => Outcome == AttemptOutcome.Delivered;

    public bool Gone => Outcome == AttemptOutcome.Gone;

    public static string? Shorten(string? error) =>
        error is { Length: > MaxErrorLength } ? string.Concat(error.AsSpan(0, MaxErrorLength - 1), "…") : error;
}
