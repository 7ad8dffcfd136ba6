using Poe.WebhookBridge.Infrastructure.Time;
using Poe.WebhookBridge.Operations.OpenApi;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Watches;

/// <summary>The watch object of SPEC §2.</summary>
public sealed record WatchResponse(
    string Id,
    string Object,
    string VideoId,
    string CallbackUrl,
    [property: AllowedValuesFrom(typeof(WatchEventTypes), nameof(WatchEventTypes.Subscribable))] IReadOnlyList<string> Events,
    IReadOnlyDictionary<string, string> Metadata,
    [property: AllowedValuesFrom(typeof(WatchStatus))] string Status,
    PoeVideoObject? Video,
    int PollCount,
    long? LastPolledAt,
    long? NextPollAt,
    long CreatedAt,
    long? EndedAt,
    WatchFailure? Failure) : IDocumentedExample<WatchResponse>
{
    public static WatchResponse Example => WatchExamples.Completed;

    public static WatchResponse From(Watch watch, DateTimeOffset? nextPollAt) => new(
        watch.Id,
        "watch",
        watch.VideoId,
        watch.CallbackUrl,
        watch.Events,
        watch.Metadata,
        watch.Status,
        watch.Video is null ? null : PoeVideoObject.Parse(watch.Video),
        watch.PollCount,
        UnixTime.Seconds(watch.LastPolledAt),
        watch.Status == WatchStatus.Active ? UnixTime.Seconds(nextPollAt) : null,
        UnixTime.Seconds(watch.CreatedAt),
        UnixTime.Seconds(watch.EndedAt),
        watch.FailureReason is null ? null : new WatchFailure(watch.FailureReason, watch.FailureMessage ?? watch.FailureReason));
}
