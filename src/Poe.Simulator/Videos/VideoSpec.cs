using Poe.Simulator.Faults;

namespace Poe.Simulator.Videos;

/// <summary>What to simulate; null timings and curve fall back to the options and the seed.</summary>
public sealed record VideoSpec
{
    public string? Id { get; init; }
    public string Model { get; init; } = VideoModels.DefaultName;
    public int Seconds { get; init; } = 8;
    public string Size { get; init; } = "1280x720";
    public string? Prompt { get; init; }
    public string? RemixedFromVideoId { get; init; }
    public TimeSpan? QueuedTime { get; init; }
    public TimeSpan? RunningTime { get; init; }
    public VideoOutcome Outcome { get; init; } = VideoOutcome.Completed;
    public ProgressCurveKind? Curve { get; init; }
    public int? Seed { get; init; }
    public IReadOnlyList<Fault> Faults { get; init; } = [];
}
