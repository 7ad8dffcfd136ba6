namespace Poe.WebhookBridge.Gateway;

/// <param name="Release">Whether the key is given back (nothing was made), rather than kept with this answer.</param>
internal sealed record GatewayOutcome(GatewayAnswer Answer, bool Replayed = false, string? RetryAfter = null, bool Release = false);
