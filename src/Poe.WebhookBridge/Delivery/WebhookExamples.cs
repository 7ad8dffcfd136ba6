using Poe.WebhookBridge.Polling;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Delivery;

/// <summary>Example webhook bodies for the API reference, written by <see cref="WebhookPayload"/> itself so they are the real bytes.</summary>
internal static class WebhookExamples
{
    private static readonly Watch Watch = new()
    {
        Id = WatchExamples.Completed.Id,
        ClientName = "shop",
        VideoId = WatchExamples.Completed.VideoId,
        CallbackUrl = WatchExamples.Completed.CallbackUrl,
        PoeKeyId = "example",
        Events = WatchEventTypes.All,
        Metadata = new Dictionary<string, string> { ["order"] = "42" },
    };

    public static string For(string type)
    {
        var (video, failure) = type switch
        {
            WatchEventTypes.VideoFailed => (Video("failed", 37, ""","error":{"code":"video_generation_failed","message":"The video could not be generated."}"""), null),
            WatchEventTypes.VideoProgress => (Video("in_progress", 37, ""), null),
            WatchEventTypes.WatchFailed => (null, new WatchFailure(WatchFailures.VideoNotFound, "Poe did not find the video within the not-found grace period.")),
            _ => (WatchExamples.VideoJson, (WatchFailure?)null),
        };
        return WebhookPayload.Build("evt_2b7n4m8q1w5e9r3t6y0u2i4o", type, DateTimeOffset.FromUnixTimeSeconds(1764440120), Watch, video, failure);
    }

    private static string Video(string status, int progress, string extra) =>
        $$"""{"id":"{{Watch.VideoId}}","object":"video","status":"{{status}}","progress":{{progress}},"created_at":1764440001,"model":"Sora-2","seconds":"8","size":"1280x720"{{extra}}}""";
}
