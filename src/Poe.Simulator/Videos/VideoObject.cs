using System.Text.Json.Serialization;

namespace Poe.Simulator.Videos;

/// <summary>Poe's video object, serialized snake_case with nulls kept.</summary>
public sealed record VideoObject(
    string Id,
    [property: JsonPropertyName("object")] string ObjectType,
    string Status,
    int Progress,
    long CreatedAt,
    long? CompletedAt,
    long? ExpiresAt,
    string Model,
    int Seconds,
    string Size,
    string? RemixedFromVideoId,
    VideoError? Error,
    VideoUsage? Usage)
{
    /// <summary>How long a completed video's assets stay downloadable.</summary>
    public static readonly TimeSpan AssetLifetime = TimeSpan.FromHours(24);

    public static VideoObject From(SimulatedVideo video, VideoState state)
    {
        var completed = state.Status == VideoState.Completed;
        var failed = state.Status == VideoState.Failed;
        return new VideoObject(
            video.Id,
            "video",
            state.Status,
            state.Progress,
            video.CreatedAt.ToUnixTimeSeconds(),
            state.FinishedAt?.ToUnixTimeSeconds(),
            completed ? (state.FinishedAt!.Value + AssetLifetime).ToUnixTimeSeconds() : null,
            video.Spec.Model,
            video.Spec.Seconds,
            video.Spec.Size,
            video.Spec.RemixedFromVideoId,
            failed ? new VideoError("video_generation_failed", "The video could not be generated.") : null,
            completed ? new VideoUsage(video.Spec.Seconds) : null);
    }
}
