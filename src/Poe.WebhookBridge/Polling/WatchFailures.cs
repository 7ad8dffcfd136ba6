using Npgsql;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Polling;

/// <summary>The bridge giving up on a watch: the watch fails with a reason and, if asked for, a <c>watch.failed</c> webhook is queued.</summary>
internal static class WatchFailures
{
    public const string VideoNotFound = "video_not_found";
    public const string Unauthorized = "unauthorized";
    public const string TimedOut = "timed_out";

    public static readonly string[] All = [VideoNotFound, Unauthorized, TimedOut];

    private static readonly Dictionary<string, string> Messages = new()
    {
        [VideoNotFound] = "Poe did not find the video within the not-found grace period.",
        [Unauthorized] = "Poe rejected the API key until the watch's maximum duration passed.",
        [TimedOut] = "The video did not reach a terminal status within the watch's maximum duration.",
    };

    /// <returns>The number of events queued (0 or 1).</returns>
    /// <param name="batch">Where the watch's update and its event are added, to run in one transaction.</param>
    public static int Fail(NpgsqlBatch batch, Watch watch, string reason, DateTimeOffset now)
    {
        var failure = new WatchFailure(reason, Messages[reason]);
        watch.Status = WatchStatus.Failed;
        watch.EndedAt = now;
        watch.FailureReason = failure.Reason;
        watch.FailureMessage = failure.Message;
        WatchRows.AddFail(batch, watch);
        return WebhookEvents.AddIfSubscribed(batch, watch, WatchEventTypes.WatchFailed, now, watch.Video, failure);
    }
}
