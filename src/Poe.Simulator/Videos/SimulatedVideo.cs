using System.Collections.Concurrent;
using Poe.Simulator.Faults;

namespace Poe.Simulator.Videos;

/// <summary>A video whose status follows a fixed timeline from its creation, unless an outcome is forced.</summary>
public sealed class SimulatedVideo
{
    private readonly ProgressCurve _curve;
    private readonly ConcurrentQueue<Fault> _faults;
    private readonly Lock _gate = new();
    private (VideoOutcome Outcome, DateTimeOffset At)? _forced;

    public SimulatedVideo(string id, VideoSpec spec, DateTimeOffset createdAt, TimeSpan queuedTime, TimeSpan runningTime, ProgressCurve curve)
    {
        (Id, Spec, CreatedAt, QueuedTime, RunningTime, _curve) = (id, spec, createdAt, queuedTime, runningTime, curve);
        _faults = new ConcurrentQueue<Fault>(spec.Faults);
    }

    public string Id { get; }
    public VideoSpec Spec { get; }
    public DateTimeOffset CreatedAt { get; }
    public TimeSpan QueuedTime { get; }
    public TimeSpan RunningTime { get; }
    public DateTimeOffset StartsAt => CreatedAt + QueuedTime;
    public DateTimeOffset FinishesAt => StartsAt + RunningTime;

    public int PendingFaults => _faults.Count;

    /// <summary>Takes the next scripted fault; each poll consumes one.</summary>
    public bool TryTakeFault(out Fault fault) => _faults.TryDequeue(out fault!);

    /// <summary>Ends the video now (or keeps its earlier finish time) with the given outcome.</summary>
    public void Force(VideoOutcome outcome, DateTimeOffset now)
    {
        lock (_gate)
        {
            var at = _forced?.At ?? (now < FinishesAt ? now : FinishesAt);
            _forced = (outcome, at);
        }
    }

    public VideoState StateAt(DateTimeOffset now)
    {
        (VideoOutcome Outcome, DateTimeOffset At)? forced;
        lock (_gate)
            forced = _forced;

        var (outcome, finishedAt) = forced ?? (Spec.Outcome, FinishesAt);
        if (now >= finishedAt)
        {
            return outcome == VideoOutcome.Completed
                ? new VideoState(VideoState.Completed, 100, finishedAt)
                : new VideoState(VideoState.Failed, ProgressAt(finishedAt), finishedAt);
        }
        return now < StartsAt
            ? new VideoState(VideoState.Queued, 0, null)
            : new VideoState(VideoState.InProgress, ProgressAt(now), null);
    }

    private int ProgressAt(DateTimeOffset moment)
    {
        if (moment < StartsAt)
            return 0;
        if (RunningTime <= TimeSpan.Zero)
            return 99;
        return _curve.At((moment - StartsAt) / RunningTime);
    }
}
