namespace Poe.WebhookBridge.Polling;

/// <summary>The end a video was last expected at, as stored with its poll target.</summary>
public sealed record EndEstimate(DateTimeOffset? ExpectedEndAt, double? SpreadSeconds);
