using System.ComponentModel.DataAnnotations;

namespace Poe.Simulator;

/// <summary>Section <c>Simulator</c>; env vars use <c>Simulator__RequestsPerMinute</c>, <c>Simulator__ApiKeys__0</c>, …</summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";

    /// <summary>Accepted bearer keys; empty means any non-empty key is accepted.</summary>
    public IList<string> ApiKeys { get; set; } = [];

    /// <summary>Budget per key in any sliding 60 s window.</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerMinute { get; set; } = 500;

    /// <summary>When true, polling an unknown id creates a video with default timings instead of 404.</summary>
    public bool AutoCreateUnknownVideos { get; set; }

    /// <summary>Points each key may spend on videos (one per second generated); null: unlimited. Then Poe answers 402.</summary>
    [Range(0, int.MaxValue)]
    public int? PointsPerKey { get; set; }

    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan DefaultQueuedTime { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan DefaultRunningTime { get; set; } = TimeSpan.FromSeconds(20);
}
