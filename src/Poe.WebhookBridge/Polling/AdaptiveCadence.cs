namespace Poe.WebhookBridge.Polling;

/// <summary>What is known of a video when choosing its next poll.</summary>
public sealed record VideoOutlook(
    string Status,
    int? Progress,
    DateTimeOffset? VideoCreatedAt,
    DateTimeOffset? ProgressStartedAt,
    int? ProgressStartedValue);

/// <summary>The learned total duration of videos like this one, if any were seen completing.</summary>
public sealed record DurationPrior(double MeanSeconds, double DeviationSeconds, int Samples)
{
    /// <summary>Before any history: a guess that errs short, so the first videos are not polled too late.</summary>
    public static readonly DurationPrior Default = new(90, 45, 0);
}

/// <summary>
/// Adaptive polling (SPEC §3, <c>Polling:Strategy = adaptive</c>): poll a video about when it is likely to end. The
/// expected end blends the progress rate seen so far with the prior for its model and length; the next poll comes
/// after half the expected remaining time — so polls close in geometrically on the end — and never sooner than
/// <c>Polling:Interval</c> nor later than <c>Polling:MaxInterval</c>. A pure function, so tests can drive it on a simulated clock.
/// </summary>
public static class AdaptiveCadence
{
    /// <summary>Progress-based estimates are trusted only once progress has moved this much since first seen.</summary>
    private const double MinProgressSpan = 5;

    /// <param name="shortestGap">
    /// <c>Polling:Interval</c>, stretched by <see cref="ShortestGap"/> while the videos' plans together ask for more than the budget.
    /// </param>
    public static TimeSpan NextGap(VideoOutlook video, DurationPrior prior, DateTimeOffset now, TimeSpan shortestGap, TimeSpan maxInterval)
    {
        var remaining = ExpectedRemaining(video, prior, now);
        var gap = TimeSpan.FromSeconds(Math.Max(0, remaining.TotalSeconds / 2));
        return gap < shortestGap ? shortestGap : gap > maxInterval ? maxInterval : gap;
    }

    /// <summary>
    /// The gap for videos expected to end soon, given how many polls per minute the current plans of all the key's
    /// videos add up to: at or under budget, the interval; over it, stretched in proportion so the plans fit the
    /// budget by themselves and videos far from done keep their <c>MaxInterval</c> floor instead of queueing behind.
    /// </summary>
    public static TimeSpan ShortestGap(double plannedPerMinute, int budgetPerMinute, TimeSpan interval, TimeSpan maxInterval)
    {
        var pressure = Math.Max(1, plannedPerMinute / budgetPerMinute);
        var stretched = TimeSpan.FromTicks((long)(interval.Ticks * pressure));
        return stretched > maxInterval ? maxInterval : stretched;
    }

    public static TimeSpan ExpectedRemaining(VideoOutlook video, DurationPrior prior, DateTimeOffset now)
    {
        // Aim at the early side of the prior: finding a video late costs more than one extra poll.
        var priorEnd = (video.VideoCreatedAt ?? now) + TimeSpan.FromSeconds(Math.Max(0, prior.MeanSeconds - prior.DeviationSeconds));
        var fromPrior = (priorEnd - now).TotalSeconds;
        if (video.Status != VideoSnapshot.InProgress || video is not { Progress: { } progress, ProgressStartedAt: { } startedAt, ProgressStartedValue: { } startedValue })
        {
            return TimeSpan.FromSeconds(fromPrior);
        }

        var moved = progress - startedValue;
        var elapsed = (now - startedAt).TotalSeconds;
        if (moved < MinProgressSpan || elapsed <= 0)
        {
            return TimeSpan.FromSeconds(fromPrior);
        }

        var fromProgress = (100 - progress) * elapsed / moved;
        // The further progress has come, the more it says about this video; the prior speaks for videos like it.
        var weight = prior.Samples == 0 ? 1 : Math.Clamp(progress / 100.0, 0.2, 0.9);
        return TimeSpan.FromSeconds((weight * fromProgress) + ((1 - weight) * fromPrior));
    }
}
