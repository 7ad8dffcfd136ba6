namespace Poe.WebhookBridge.Polling;

/// <summary>A due target as the claim read it: <see cref="HasWatchers"/> is false for one no active watch needs any more.</summary>
public sealed record DueTarget(ClaimedPoll Poll, bool HasWatchers);
