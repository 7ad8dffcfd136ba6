namespace Poe.WebhookBridge.Polling;

/// <summary>Poe's <c>x-ratelimit-*</c> headers: how many requests the key has left and when its window resets.</summary>
public sealed record PoeRateHints(int? Remaining, TimeSpan? Reset);
