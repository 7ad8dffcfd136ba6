namespace Poe.Simulator.Videos;

/// <summary>Where a video stands at one moment.</summary>
public sealed record VideoState(string Status, int Progress, DateTimeOffset? FinishedAt)
{
    public const string Queued = "queued";
    public const string InProgress = "in_progress";
    public const string Completed = "completed";
    public const string Failed = "failed";
}
