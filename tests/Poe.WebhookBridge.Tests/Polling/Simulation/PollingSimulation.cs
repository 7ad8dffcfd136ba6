using Poe.WebhookBridge.Budget;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Tests.Polling.Simulation;

/// <summary>
/// Replays a workload against one Poe key on a simulated clock, the way the bridge polls it: oldest due first, paced
/// by <see cref="RatePacer"/>, never more than the budget in any 60 s window, the pressure steered and the next poll
/// planned by the same code the service uses (<see cref="AdaptiveCadence"/>), or one interval later for <c>fixed</c>.
/// </summary>
internal sealed class PollingSimulation(PollingStrategy strategy, int budgetPerMinute, TimeSpan interval, TimeSpan maxInterval)
{
    private const double Step = 0.1;
    private const double PlannerRefresh = 2;
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public SimulationResult Run(IReadOnlyList<SyntheticVideo> videos)
    {
        var states = videos.Select((v, i) => new State(v, $"video_{i}")).ToList();
        var sent = new Queue<double>();
        var result = new SimulationResult();
        var learned = new Dictionary<(string, string), DurationPrior>();
        var end = videos.Max(v => v.EndsAt) + 300;
        var pressure = AdaptiveCadence.InitialPressure;
        var pacedUntil = Epoch;
        var refreshedAt = double.MinValue;
        double? shortSince = null;
        for (var t = 0.0; t < end && states.Any(s => !s.Done); t += Step)
        {
            while (sent.Count > 0 && sent.Peek() <= t - 60)
            {
                sent.Dequeue();
            }

            // As a registration does: a new video is due at once, or, on a key that plans adaptively, when the planner
            // puts its first poll.
            foreach (var state in states.Where(s => !s.Registered && s.Video.CreatedAt <= t))
            {
                state.Registered = true;
                state.NextDue = Steered(shortSince, t)
                    ? t + AdaptiveCadence.FirstGap(learned.Values, pressure, interval, maxInterval, AdaptiveCadence.Stagger(state.Id)).TotalSeconds
                    : t;
            }

            // As the claim orders them: oldest due first, a video nearing its floor a little ahead.
            var urgentAfter = AdaptiveCadence.UrgentAfter(maxInterval).TotalSeconds;
            var due = states.Where(s => s.Registered && !s.Done && s.NextDue <= t)
                .OrderBy(s => s.LastPolled is { } last ? Math.Min(s.NextDue, last + urgentAfter) : s.NextDue).ToList();
            if (t - refreshedAt >= PlannerRefresh)
            {
                // As PollPlanner does every few seconds: steer the pressure by what the key sent lately and what waits.
                refreshedAt = t;
                shortSince = Short(states) ? shortSince ?? t : null;
                var window = AdaptiveCadence.SteeringWindow.TotalSeconds;
                pressure = AdaptiveCadence.NextPressure(pressure, sent.Count(at => at > t - window), due.Count, budgetPerMinute, TimeSpan.FromSeconds(PlannerRefresh));
            }

            var now = Epoch.AddSeconds(t);
            var admitted = Math.Min(RatePacer.Admit(pacedUntil, now, due.Count, budgetPerMinute), budgetPerMinute - sent.Count);
            pacedUntil = RatePacer.After(pacedUntil, now, Math.Max(0, admitted), budgetPerMinute);
            foreach (var state in due.Take(admitted))
            {
                sent.Enqueue(t);
                result.MaxWindow = Math.Max(result.MaxWindow, sent.Count);
                Poll(state, t, Steered(shortSince, t), learned, pressure, result);
            }
        }

        return result;
    }

    private void Poll(State state, double t, bool steered, Dictionary<(string, string), DurationPrior> learned, double pressure, SimulationResult result)
    {
        var video = state.Video;
        if (state.LastPolled is { } last && state.LastPlanned is { } planned)
        {
            // A gap beyond the plan's own floor: the floor is what the schedule promised this video.
            result.LongestGapBeyondFloor = Math.Max(result.LongestGapBeyondFloor, t - last - Math.Max(planned, maxInterval.TotalSeconds));
        }

        state.LastPolled = t;
        result.Requests++;
        var status = video.StatusAt(t);
        if (status is "completed" or "failed")
        {
            state.Done = true;
            result.DetectionDelays.Add(t - video.EndsAt);
            if (status == "completed")
            {
                Learn(learned, video, state);
            }

            return;
        }

        var progress = video.Progress(t);
        if (status == "in_progress" && state.ProgressStartedAt is null)
        {
            (state.ProgressStartedAt, state.ProgressStartedValue) = (t, progress);
        }

        double gap;
        if (!steered)
        {
            gap = interval.TotalSeconds;
        }
        else
        {
            var outlook = new VideoOutlook(status, progress, Epoch.AddSeconds(video.CreatedAt),
                state.ProgressStartedAt is { } s ? Epoch.AddSeconds(s) : null, state.ProgressStartedValue);
            var prior = learned.GetValueOrDefault((video.Model, video.Seconds), DurationPrior.Default);
            var (mean, spread) = AdaptiveCadence.ExpectedEnd(outlook, prior, Epoch.AddSeconds(t));
            gap = AdaptiveCadence.NextGap(mean, spread, pressure, interval, maxInterval, AdaptiveCadence.Stagger(state.Id)).TotalSeconds;
            (state.ExpectedEnd, state.Spread) = (t + mean, spread);
        }

        state.LastPlanned = gap;
        state.NextDue = t + gap;
    }

    /// <summary>As PollPlanner sees a key: short while it cannot poll every video at the interval.</summary>
    private bool Short(List<State> states) =>
        strategy == PollingStrategy.Adaptive && states.Count(s => s.Registered && !s.Done) * (60 / interval.TotalSeconds) > budgetPerMinute;

    /// <summary>As PollPlanner decides: adaptive once the key has been short for a whole steering window.</summary>
    private static bool Steered(double? shortSince, double t) =>
        shortSince is { } since && t - since >= AdaptiveCadence.SteeringWindow.TotalSeconds;

    /// <summary>As PollResultWriter does after a completion: running means over the last ~50 videos of the kind.</summary>
    private static void Learn(Dictionary<(string, string), DurationPrior> learned, SyntheticVideo video, State state)
    {
        var took = video.EndsAt - video.CreatedAt;
        double? surprise = state.ExpectedEnd is { } expected ? Math.Min(Math.Pow((video.EndsAt - expected) / state.Spread, 2), 100) : null;
        if (!learned.TryGetValue((video.Model, video.Seconds), out var prior))
        {
            learned[(video.Model, video.Seconds)] = new DurationPrior(took, 0, 1, surprise ?? 1);
            return;
        }

        var weight = 1.0 / Math.Min(prior.Samples + 1, 50);
        learned[(video.Model, video.Seconds)] = new DurationPrior(
            prior.MeanSeconds + ((took - prior.MeanSeconds) * weight),
            prior.DeviationSeconds + ((Math.Abs(took - prior.MeanSeconds) - prior.DeviationSeconds) * weight),
            prior.Samples + 1,
            prior.Surprise + (((surprise ?? prior.Surprise) - prior.Surprise) * weight));
    }

    private sealed class State(SyntheticVideo video, string id)
    {
        public SyntheticVideo Video { get; } = video;

        public string Id { get; } = id;

        public bool Registered { get; set; }

        public double NextDue { get; set; }

        public double? LastPolled { get; set; }

        public double? LastPlanned { get; set; }

        public double? ProgressStartedAt { get; set; }

        public int? ProgressStartedValue { get; set; }

        public bool Done { get; set; }

        public double? ExpectedEnd { get; set; }

        public double Spread { get; set; }
    }
}

internal sealed class SimulationResult
{
    public List<double> DetectionDelays { get; } = [];

    public int Requests { get; set; }

    public int MaxWindow { get; set; }

    public double LongestGapBeyondFloor { get; set; }

    public double Percentile(double p)
    {
        var sorted = DetectionDelays.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p / 100 * sorted.Count) - 1)];
    }
}
