namespace Poe.WebhookBridge.Polling;

/// <summary>What is known of a video when choosing its next poll.</summary>
public sealed record VideoOutlook(
    string Status,
    int? Progress,
    DateTimeOffset? VideoCreatedAt,
    DateTimeOffset? ProgressStartedAt,
    int? ProgressStartedValue);
