namespace Poe.WebhookBridge.Polling;

/// <summary>
/// A poll that found its video still queued or in progress, with everything to store for it: the video as Poe sent
/// it, where progress was first seen, and when to poll next.
/// </summary>
public sealed record RoutinePoll(
    ClaimedPoll Poll,
    DateTimeOffset SentAt,
    DateTimeOffset AnsweredAt,
    VideoSnapshot Video,
    DateTimeOffset NextPollAt,
    DateTimeOffset? ProgressStartedAt,
    int? ProgressStartedValue,
    DateTimeOffset? ExpectedEndAt,
    double? EndSpreadSeconds)
{
    /// <summary>Whether the video's status or progress moved since the last poll (what a <c>video.progress</c> webhook reports).</summary>
    public static bool HasChanged(ClaimedPoll poll, VideoSnapshot video) => video.Status != poll.LastStatus || video.Progress != poll.LastProgress;

    /// <summary>Plans the next poll from <paramref name="answeredAt"/>: the interval counts from the last moment Poe could have seen this one.</summary>
    public static RoutinePoll Plan(PollPlanner planner, ClaimedPoll poll, VideoSnapshot video, DateTimeOffset sentAt, DateTimeOffset answeredAt)
    {
        // Where progress was first seen anchors the rate adaptive polling estimates the end from.
        var startedNow = poll.ProgressStartedAt is null && video.Status == VideoSnapshot.InProgress && video.Progress is not null;
        var startedAt = startedNow ? sentAt : poll.ProgressStartedAt;
        var startedValue = startedNow ? video.Progress : poll.ProgressStartedValue;
        var outlook = new VideoOutlook(video.Status, video.Progress, video.CreatedAt, startedAt, startedValue);
        var (next, expectedEnd, endSpread) = planner.Plan(poll.PoeKeyId, poll.VideoId, outlook, video.Model, video.Seconds, answeredAt);
        return new RoutinePoll(poll, sentAt, answeredAt, video, next, startedAt, startedValue, expectedEnd, endSpread);
    }

    /// <summary>
    /// Whether it can be stored with others in one batch: it causes no webhook (no progress subscriber saw a change)
    /// and says nothing about the key beyond "it works".
    /// </summary>
    public static bool IsBatchable(ClaimedPoll poll, PoeResponse response) =>
        response is { Outcome: PoeOutcome.Video, Video: { IsTerminal: false } video }
        && response.Hints?.Remaining != 0
        && !(poll.ProgressSubscribed && HasChanged(poll, video));
}
