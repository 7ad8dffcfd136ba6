using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Watches;

/// <summary>The watches the API reference shows: one just registered (not yet polled), one whose video completed.</summary>
internal static class WatchExamples
{
    public const string VideoJson =
        """{"id":"video_123","object":"video","status":"completed","progress":100,"created_at":1764440001,"completed_at":1764440117,"expires_at":1764526517,"model":"Sora-2","seconds":"8","size":"1280x720","remixed_from_video_id":null,"error":null,"usage":{"video_seconds":8}}""";

    public static readonly WatchResponse Registered = new(
        "watch_4f9k2m7q1x8c3v6b0n5z2a7d", "watch", "video_456", "https://app.example/hooks/poe", WatchEventTypes.Default,
        new Dictionary<string, string> { ["order"] = "43" }, WatchStatus.Active, Video: null, PollCount: 0, LastPolledAt: null,
        NextPollAt: 1764440005, CreatedAt: 1764440000, EndedAt: null, Failure: null);

    public static readonly WatchResponse Completed = Registered with
    {
        Id = "watch_8s1d5f3g7h2j6k0l4p9o3i8u",
        VideoId = "video_123",
        Metadata = new Dictionary<string, string> { ["order"] = "42" },
        Status = WatchStatus.Completed,
        Video = PoeVideoObject.Parse(VideoJson),
        PollCount = 24,
        LastPolledAt = 1764440120,
        NextPollAt = null,
        CreatedAt = 1764439998,
        EndedAt = 1764440120,
    };
}
