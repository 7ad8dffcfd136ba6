namespace Poe.WebhookBridge.Watches;

/// <summary>A watch's life in the logs: ids as properties, the callback by host only.</summary>
internal static partial class WatchLog
{
    public static void Registered(ILogger logger, string watchId, string clientName, string videoId, Uri callback) =>
        Registered(logger, watchId, clientName, videoId, callback.Host);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Watch {WatchId} registered by {ClientName} for video {VideoId}, callbacks to {CallbackHost}")]
    private static partial void Registered(ILogger logger, string watchId, string clientName, string videoId, string callbackHost);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Watch {WatchId} of video {VideoId} ended {WatchStatus} {FailureReason}")]
    public static partial void Ended(ILogger logger, string watchId, string videoId, string watchStatus, string? failureReason);

    public static void Ended(ILogger logger, Watch watch) => Ended(logger, watch.Id, watch.VideoId, watch.Status, watch.FailureReason);
}
