using System.Text.Json;
using Poe.WebhookBridge.Infrastructure.Time;

namespace Poe.WebhookBridge.Watches;

/// <summary>The watch object of SPEC §2.</summary>
public sealed record WatchResponse(
    string Id,
    string Object,
    string VideoId,
    string CallbackUrl,
    IReadOnlyList<string> Events,
    IReadOnlyDictionary<string, string> Metadata,
    string Status,
    JsonElement? Video,
    int PollCount,
    long? LastPolledAt,
    long? NextPollAt,
    long CreatedAt,
    long? EndedAt,
    WatchFailure? Failure)
{
    public static WatchResponse From(Watch watch, DateTimeOffset? nextPollAt) => new(
        watch.Id,
        "watch",
        watch.VideoId,
        watch.CallbackUrl,
        watch.Events,
        watch.Metadata,
        watch.Status,
        watch.Video is null ? null : JsonDocument.Parse(watch.Video).RootElement.Clone(),
        watch.PollCount,
        UnixTime.Seconds(watch.LastPolledAt),
        watch.Status == WatchStatus.Active ? UnixTime.Seconds(nextPollAt) : null,
        UnixTime.Seconds(watch.CreatedAt),
        UnixTime.Seconds(watch.EndedAt),
        watch.FailureReason is null ? null : new WatchFailure(watch.FailureReason, watch.FailureMessage ?? watch.FailureReason));
}

/// <summary>Why the bridge gave up on a watch: <c>video_not_found</c>, <c>unauthorized</c> or <c>timed_out</c>.</summary>
public sealed record WatchFailure(string Reason, string Message);

public sealed record WatchList(string Object, IReadOnlyList<WatchResponse> Data, bool HasMore, string? FirstId, string? LastId);
