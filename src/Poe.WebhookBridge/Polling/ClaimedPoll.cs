namespace Poe.WebhookBridge.Polling;

/// <summary>
/// A video this instance may poll now: a rate slot is reserved for it and <see cref="Lease"/> is both its claim's
/// expiry and the fencing token its write-back must present.
/// </summary>
public sealed record ClaimedPoll(string PoeKeyId, string VideoId, DateTimeOffset DueAt, DateTimeOffset ClaimedAt, DateTimeOffset Lease, int FailureCount, string? LastStatus, int? LastProgress)
{
    public DateTimeOffset? ProgressStartedAt { get; init; }

    public int? ProgressStartedValue { get; init; }

    /// <summary>Whether an active watch of the video asked for <c>video.progress</c> webhooks.</summary>
    public bool ProgressSubscribed { get; init; }
}
