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
/// Adaptive polling (SPEC §3, <c>Polling:Strategy = adaptive</c>): spend a key's budget where completions are likely.
/// Each video's end is estimated as a normal distribution, blending the duration learned for its model and length
/// with the rate its progress moves at (each weighed by its certainty). Polling a video at a rate proportional to
/// the square root of its hazard (the chance of ending now, given it has not yet) minimises the expected total
/// detection delay for a fixed number of requests; one <em>pressure</em> factor per key scales those rates so the
/// plans add up to the budget. Gaps stay between <c>Polling:Interval</c> and the <c>Polling:MaxInterval</c> floor.
/// Pure functions, so tests drive them on a simulated clock.
/// </summary>
public static class AdaptiveCadence
{
    /// <summary>The share of the budget plans aim at; the rest absorbs new watches, which are polled at once.</summary>
    public const double BudgetShare = 0.9;

    /// <summary>The share of <c>Polling:MaxInterval</c> at which far-off videos are planned, leaving room for lateness.</summary>
    public const double FloorShare = 0.9;

    /// <summary>Progress-based estimates are used only once progress has moved this much since first seen.</summary>
    private const double MinProgressSpan = 5;

    private const double MinSpreadSeconds = 2;
    private const double MinPressure = 0.01;
    private const double MaxPressure = 1000;
    private const int MaxSample = 1000;
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The first moment from <paramref name="interval"/> on at which the time since this poll reaches the gap the
    /// video's hazard then calls for, so a video far from its end waits long but is caught as its end draws near.
    /// </summary>
    public static TimeSpan NextGap(VideoOutlook video, DurationPrior prior, DateTimeOffset now, double pressure, TimeSpan interval, TimeSpan maxInterval)
    {
        var (mean, spread) = ExpectedEnd(video, prior, now);
        return GapFor(mean, spread, pressure, interval, maxInterval);
    }

    /// <param name="mean">The expected end, in seconds from now.</param>
    public static TimeSpan GapFor(double mean, double spread, double pressure, TimeSpan interval, TimeSpan maxInterval)
    {
        spread = Math.Max(spread, MinSpreadSeconds);
        // Plan the floor a little early: a poll may run a few seconds late when new watches crowd the budget.
        var floor = maxInterval * FloorShare > interval ? maxInterval * FloorShare : interval;
        for (var gap = interval; gap < floor; gap += Step)
        {
            var hazard = Hazard(gap.TotalSeconds, mean, spread);
            if (hazard > 0 && gap.TotalSeconds >= pressure / Math.Sqrt(hazard))
            {
                return gap;
            }
        }

        return floor;
    }

    /// <summary>
    /// The key's pressure: the scale at which the gaps <see cref="GapFor"/> plans for the key's videos add up to
    /// <see cref="BudgetShare"/> of the budget. Found by bisection over the current estimates of the key's videos
    /// (a sample of at most 1000), so it follows the workload without lagging behind it.
    /// </summary>
    /// <param name="videos">Each video's expected end (seconds from now) and spread.</param>
    public static double Pressure(IReadOnlyCollection<(double Mean, double Spread)> videos, int budgetPerMinute, TimeSpan interval, TimeSpan maxInterval)
    {
        // The rate the plans ask for scales with the videos, so a sample of a large key tells it as well as all of them.
        var sample = videos.Count <= MaxSample ? videos : videos.Where((_, i) => i % ((videos.Count / MaxSample) + 1) == 0).ToList();
        var target = budgetPerMinute * BudgetShare / 60 * sample.Count / Math.Max(1, videos.Count);
        double RateAt(double pressure) => sample.Sum(v => 1 / GapFor(v.Mean, v.Spread, pressure, interval, maxInterval).TotalSeconds);
        if (sample.Count == 0 || RateAt(MinPressure) <= target)
        {
            return MinPressure;
        }

        var (low, high) = (MinPressure, MaxPressure);
        for (var i = 0; i < 16; i++)
        {
            var middle = Math.Sqrt(low * high);
            (low, high) = RateAt(middle) > target ? (middle, high) : (low, middle);
        }

        return high;
    }

    /// <summary>The expected end, in seconds from <paramref name="now"/>, and its spread (one standard deviation).</summary>
    public static (double Mean, double Spread) ExpectedEnd(VideoOutlook video, DurationPrior prior, DateTimeOffset now)
    {
        // A mean absolute deviation is about 0.8 standard deviations; an unlearned prior is wide on purpose.
        var priorMean = ((video.VideoCreatedAt ?? now) - now).TotalSeconds + prior.MeanSeconds;
        var priorSpread = Math.Max(Math.Max(prior.DeviationSeconds * 1.25, prior.MeanSeconds * 0.1), MinSpreadSeconds);
        if (video.Status != VideoSnapshot.InProgress || video is not { Progress: { } progress, ProgressStartedAt: { } startedAt, ProgressStartedValue: { } startedValue })
        {
            return (priorMean, priorSpread);
        }

        var moved = progress - startedValue;
        var elapsed = (now - startedAt).TotalSeconds;
        if (moved < MinProgressSpan || elapsed <= 0)
        {
            return (priorMean, priorSpread);
        }

        // Progress rises unevenly, so its extrapolation is trusted to half of what remains.
        var progressMean = (100 - progress) * elapsed / moved;
        var progressSpread = Math.Max(progressMean / 2, MinSpreadSeconds);
        var (wPrior, wProgress) = (1 / (priorSpread * priorSpread), 1 / (progressSpread * progressSpread));
        return (((priorMean * wPrior) + (progressMean * wProgress)) / (wPrior + wProgress), Math.Sqrt(1 / (wPrior + wProgress)));
    }

    /// <summary>The chance per second of ending at <paramref name="at"/> seconds from now, given the video has not ended by then.</summary>
    public static double Hazard(double at, double mean, double spread)
    {
        var z = (at - mean) / spread;
        var survival = 0.5 * Erfc(z / Math.Sqrt(2));
        var density = Math.Exp(-0.5 * z * z) / (spread * Math.Sqrt(2 * Math.PI));
        // Far past the expected end the ratio tends to z / spread; use that where the survival underflows.
        return survival > 1e-12 ? density / survival : Math.Max(z, 0) / spread;
    }

    // Abramowitz & Stegun 7.1.26, accurate to 1.5e-7: enough to rank videos.
    private static double Erfc(double x)
    {
        var t = 1 / (1 + (0.3275911 * Math.Abs(x)));
        var y = t * (0.254829592 + (t * (-0.284496736 + (t * (1.421413741 + (t * (-1.453152027 + (t * 1.061405429))))))));
        var erfc = y * Math.Exp(-x * x);
        return x >= 0 ? erfc : 2 - erfc;
    }
}
