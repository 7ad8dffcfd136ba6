namespace Poe.WebhookBridge.Watches;

public static class WatchEventTypes
{
    public const string VideoCompleted = "video.completed";
    public const string VideoFailed = "video.failed";
    public const string VideoProgress = "video.progress";
    public const string WatchFailed = "watch.failed";

    /// <summary>Sent on request (<c>POST /v1/watches/{id}/test</c>), whatever the watch subscribed to.</summary>
    public const string WatchTest = "watch.test";

    /// <summary>Every type the bridge sends.</summary>
    public static readonly string[] All = [VideoCompleted, VideoFailed, VideoProgress, WatchFailed, WatchTest];

    /// <summary>The types a watch can subscribe to; a test event is asked for, not subscribed to.</summary>
    public static readonly string[] Subscribable = [VideoCompleted, VideoFailed, VideoProgress, WatchFailed];

    public static readonly string[] Default = [VideoCompleted, VideoFailed, WatchFailed];
}
