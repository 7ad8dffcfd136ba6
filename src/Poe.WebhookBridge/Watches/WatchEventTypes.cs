namespace Poe.WebhookBridge.Watches;

public static class WatchEventTypes
{
    public const string VideoCompleted = "video.completed";
    public const string VideoFailed = "video.failed";
    public const string VideoProgress = "video.progress";
    public const string WatchFailed = "watch.failed";

    public static readonly string[] All = [VideoCompleted, VideoFailed, VideoProgress, WatchFailed];

    public static readonly string[] Default = [VideoCompleted, VideoFailed, WatchFailed];
}
