using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Poe.Simulator.Videos;

/// <summary>The simulator's videos, in memory. Also the in-process entry point for tests.</summary>
public sealed class VideoStore(IOptions<SimulatorOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, SimulatedVideo> _videos = new(StringComparer.Ordinal);

    public int Count => _videos.Count;

    /// <summary>Creates a video starting now; an existing video with the same id is replaced.</summary>
    public SimulatedVideo Create(VideoSpec spec)
    {
        var video = Build(spec.Id ?? NewId(), spec);
        _videos[video.Id] = video;
        return video;
    }

    public SimulatedVideo? Find(string id) => _videos.GetValueOrDefault(id);

    /// <summary>Finds a video, creating it with default timings when the options allow unknown ids.</summary>
    public SimulatedVideo? FindForPoll(string id) => options.Value.AutoCreateUnknownVideos
        ? _videos.GetOrAdd(id, newId => Build(newId, new VideoSpec()))
        : Find(id);

    public void Clear() => _videos.Clear();

    private SimulatedVideo Build(string id, VideoSpec spec)
    {
        var seed = spec.Seed ?? RandomNumberGenerator.GetInt32(int.MaxValue);
        var curve = (spec.Curve ?? CurveFor(seed)) switch
        {
            ProgressCurveKind.Linear => ProgressCurve.Linear,
            ProgressCurveKind.Drifting => ProgressCurve.Drifting(seed),
            _ => ProgressCurve.Uneven(seed),
        };
        return new SimulatedVideo(
            id,
            spec,
            time.GetUtcNow(),
            spec.QueuedTime ?? options.Value.DefaultQueuedTime,
            spec.RunningTime ?? options.Value.DefaultRunningTime,
            curve);
    }

    [SuppressMessage("Security", "CA5394", Justification = "A simulation needs reproducible, not secure, randomness.")]
    private static ProgressCurveKind CurveFor(int seed) =>
        new Random(seed).Next(2) == 0 ? ProgressCurveKind.Linear : ProgressCurveKind.Uneven;

    private static string NewId() => "video_" + RandomNumberGenerator.GetHexString(24, lowercase: true);
}
