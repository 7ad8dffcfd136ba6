using System.Buffers;

namespace Poe.WebhookBridge.Polling;

/// <summary>
/// Adaptive polling (SPEC §3, <c>Polling:Strategy = adaptive</c>): spend a key's budget where completions are likely.
/// Each video's end is estimated as a normal distribution that fuses the duration learned for its model and length with
/// what its progress says (how far it got since it started, and how fast it moved since first seen), each weighed by its
/// certainty. The polls are then planned as a whole: the sequence of gaps (between <c>Polling:Interval</c> and the
/// <c>Polling:MaxInterval</c> floor) that minimises expected detection delay plus a price per request, by dynamic
/// programming on a one-second grid. One price per key — the <em>pressure</em> — is steered so that the key's requests
/// fill its budget. Pure functions, so tests drive them on a simulated clock.
/// </summary>
public static class AdaptiveCadence
{
    /// <summary>The share of <c>Polling:MaxInterval</c> at which far-off videos are planned, leaving room for lateness.</summary>
    public const double FloorShare = 0.75;

    /// <summary>The share of the budget the pressure steers toward: a little below the rate slots' own limit, so due polls rarely queue.</summary>
    public const double BudgetShare = 0.88;

    /// <summary>The window the pressure looks back over: long enough to be steady, short enough to follow the workload.</summary>
    public static readonly TimeSpan SteeringWindow = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How often the pressure is steered at most (<see cref="PollPlanner"/> re-reads its inputs no more often); a
    /// steering after a longer pause takes as many steps as fit in it, so the pressure moves at the same pace per second.
    /// </summary>
    public static readonly TimeSpan SteeringStep = TimeSpan.FromSeconds(2);

    public const double InitialPressure = 5;

    /// <summary>
    /// The chance per second that a video ends whatever its estimate says (a generation can fail at any moment): it is
    /// what makes an idle budget worth spending on videos far from their expected end, as fixed polling would.
    /// </summary>
    private const double BackgroundHazard = 1.0 / 600;

    /// <summary>How far (in progress points) a reading may sit from the elapsed share of the generation.</summary>
    private const double ProgressJitter = 2.5;

    /// <summary>Progress must have moved this much since first seen before its pace is trusted.</summary>
    private const double MinProgressSpan = 10;

    private const double SteeringGain = 0.1;
    private const double MinSpreadSeconds = 1;
    private const double MinPressure = 0.01;
    private const double MaxPressure = 1000;
    private static readonly double Sqrt2Pi = Math.Sqrt(2 * Math.PI);

    /// <summary>
    /// How much sooner than its planned floor poll a video goes ahead of other due polls: in a burst of due polls (a
    /// wave of registrations comes due together) the polls that keep the floor are served before the ones that hunt
    /// for an end, which can wait a few seconds without breaking a promise.
    /// </summary>
    public static readonly TimeSpan FloorHeadStart = TimeSpan.FromSeconds(10);

    /// <summary>How much of the floor a video's own stagger may take off, so videos registered together drift apart.</summary>
    public const double FloorStagger = 0.2;

    /// <summary>The gap to the next poll of a video whose end is expected <paramref name="mean"/> seconds from now.</summary>
    /// <param name="pressure">The price of one request, in seconds of detection delay.</param>
    /// <param name="stagger">
    /// The video's own number in [0, 1) (see <see cref="Stagger"/>): it shortens its longest gap a little, so that a
    /// burst of videos registered together does not come due at the floor together, cycle after cycle, and overrun it.
    /// </param>
    public static TimeSpan NextGap(double mean, double spread, double pressure, TimeSpan interval, TimeSpan maxInterval, double stagger = 0)
    {
        var shortest = ShortestGap(interval);
        var longest = LongestGap(interval, maxInterval, stagger);
        spread = Math.Max(spread, MinSpreadSeconds);
        // Long overdue: the estimate was wrong, so widen it with the lateness — polls back off instead of crowding the key.
        if (mean < 0)
        {
            spread = Math.Max(spread, -mean);
            mean = 0;
        }

        // The expected end is beyond the next two floors: only the chance of an early end (a failure) is worth polling
        // for. Its best steady gap, for a constant hazard h and price p, is √(2p/h): short while the key's budget is
        // idle, the floor once it is dear.
        if (mean - (4 * spread) > 2 * longest)
        {
            return TimeSpan.FromSeconds(Math.Clamp(Math.Sqrt(2 * pressure / BackgroundHazard), shortest, longest));
        }

        return TimeSpan.FromSeconds(PlanFirstGap(mean, spread, pressure, shortest, longest));
    }

    /// <summary>The longest gap planned for a video of this <paramref name="stagger"/>, in whole seconds: all a video's stagger changes in its plan.</summary>
    public static int LongestGap(TimeSpan interval, TimeSpan maxInterval, double stagger) =>
        Math.Max(ShortestGap(interval), (int)(maxInterval.TotalSeconds * FloorShare * (1 - (FloorStagger * stagger))));

    private static int ShortestGap(TimeSpan interval) => Math.Max(1, (int)Math.Ceiling(interval.TotalSeconds));

    /// <summary>
    /// Backward induction over poll times t = 0, 1, 2 … s. <c>W(t)</c> is the least expected cost from a poll at t on,
    /// weighted by the chance the video is still running at t: a next poll at u costs the pressure (only if the video
    /// was still running at t), plus the delay of detecting an end in (t, u] at u, plus <c>W(u)</c>. With the normal
    /// end distribution's cumulative F and partial mean G (∫x dF), the delay term is u·(F(u) − F(t)) − (G(u) − G(t));
    /// the background hazard h adds h·(1 − F(t))·(u − t)²/2.
    /// </summary>
    private static int PlanFirstGap(double mean, double spread, double pressure, int shortest, int longest)
    {
        var horizon = (int)Math.Ceiling(Math.Max(mean + (4 * spread), 2 * shortest)) + 1;
        // Planned at every registration: its tables are rented, not allocated each time.
        var tables = ArrayPool<double>.Shared.Rent(3 * horizon);
        try
        {
            return PlanFirstGap(mean, spread, pressure, shortest, longest, tables.AsSpan(0, 3 * horizon), horizon);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(tables);
        }
    }

    private static int PlanFirstGap(double mean, double spread, double pressure, int shortest, int longest, Span<double> tables, int horizon)
    {
        var f = tables[..horizon];
        var g = tables.Slice(horizon, horizon);
        var cost = tables.Slice(2 * horizon, horizon);
        var next = 0;
        for (var t = 0; t < horizon; t++)
        {
            var z = (t - mean) / spread;
            f[t] = 0.5 * Erfc(-z / Math.Sqrt(2));
            g[t] = (mean * f[t]) - (spread * Math.Exp(-0.5 * z * z) / Sqrt2Pi);
        }

        for (var t = horizon - 1; t >= 0; t--)
        {
            var (best, choice) = (double.MaxValue, Math.Min(t + shortest, horizon - 1));
            var price = pressure * (1 - f[t]);
            for (var u = t + shortest; u <= Math.Min(t + longest, horizon - 1); u++)
            {
                var c = price + (u * (f[u] - f[t])) - (g[u] - g[t]) + (BackgroundHazard * (1 - f[t]) * (u - t) * (u - t) / 2) + cost[u];
                if (c < best)
                {
                    (best, choice) = (c, u);
                }
            }

            // The loop ends at t = 0: its choice is the first gap.
            (cost[t], next) = (best == double.MaxValue ? 0 : best, choice);
        }

        return next;
    }

    /// <summary>
    /// The gap to the first poll of a video not yet seen, planned as if it had been created now and were of the
    /// quickest kind learned (its model is not known before that poll), so it errs early.
    /// </summary>
    public static TimeSpan FirstGap(IEnumerable<DurationPrior> learned, double pressure, TimeSpan interval, TimeSpan maxInterval, double stagger)
    {
        var prior = learned.MinBy(p => p.MeanSeconds) ?? DurationPrior.Default;
        return NextGap(prior.MeanSeconds, PriorSpread(prior), pressure, interval, maxInterval, stagger);
    }

    /// <summary>
    /// Steers a key's pressure toward <see cref="BudgetShare"/> of its budget: the key's demand is what it sent in the
    /// last <see cref="SteeringWindow"/> plus the polls already due and waiting. Above the share the price of a request
    /// rises, below it falls, a little every <see cref="SteeringStep"/> of <paramref name="sinceLast"/> (at most a
    /// window's worth), so the plans follow the workload without oscillating.
    /// </summary>
    public static double NextPressure(double pressure, int sentInWindow, int waiting, int budgetPerMinute, TimeSpan sinceLast)
    {
        var affordable = budgetPerMinute * BudgetShare * SteeringWindow.TotalSeconds / 60;
        var demand = (sentInWindow + waiting) / Math.Max(1, affordable);
        var steps = Math.Clamp(sinceLast / SteeringStep, 0, SteeringWindow / SteeringStep);
        return Math.Clamp(pressure * Math.Exp(SteeringGain * (demand - 1) * steps), MinPressure, MaxPressure);
    }

    /// <summary>The expected end, in seconds from <paramref name="now"/>, and its spread (one standard deviation).</summary>
    public static (double Mean, double Spread) ExpectedEnd(VideoOutlook video, DurationPrior prior, DateTimeOffset now)
    {
        var created = video.VideoCreatedAt ?? now;
        var estimates = new List<(double Mean, double Spread)> { ((created - now).TotalSeconds + prior.MeanSeconds, PriorSpread(prior)) };
        if (video is { Status: VideoSnapshot.InProgress, Progress: { } reported, ProgressStartedAt: { } firstSeen, ProgressStartedValue: { } firstValue })
        {
            var progress = Math.Clamp(reported, 1, 99.5);
            var inflation = prior.Inflation;

            // Progress is the share of the generation done. It started between the video's creation and the poll that
            // first saw it running: how long it has run so far, scaled by what is left, is how long it still needs.
            var started = created < firstSeen ? created + ((firstSeen - created) / 2) : firstSeen;
            var startedSpread = Math.Max(0, (firstSeen - created).TotalSeconds) / Math.Sqrt(12);
            var running = Math.Max((now - started).TotalSeconds, 0.1);
            var left = (100 - progress) / progress;
            var fromStart = running * left;
            var fromStartSpread = Math.Sqrt(Square(left * startedSpread) + Square(running * 100 / (progress * progress) * ProgressJitter));
            estimates.Add((fromStart, (fromStartSpread + 0.5) * inflation));

            // The pace since first seen, which needs no guess of when it started.
            var moved = progress - firstValue;
            var since = (now - firstSeen).TotalSeconds;
            if (moved >= MinProgressSpan && since > 0)
            {
                var atPace = (100 - progress) * since / moved;
                estimates.Add((atPace, ((atPace * Math.Sqrt(2) * ProgressJitter / moved) + 0.5) * inflation));
            }
        }

        var weights = estimates.Select(e => 1 / Square(e.Spread)).ToList();
        var total = weights.Sum();
        return (estimates.Select((e, i) => e.Mean * weights[i]).Sum() / total, Math.Sqrt(1 / total));
    }

    /// <summary>
    /// Due polls are served in order of <c>LEAST(next_poll_at, last_polled_at + this)</c>: oldest due first, except that a
    /// video nearing its floor is treated as due <see cref="FloorHeadStart"/> earlier than its planned floor poll.
    /// </summary>
    public static TimeSpan UrgentAfter(TimeSpan maxInterval) => (maxInterval * FloorShare) - FloorHeadStart;

    /// <summary>A number in [0, 1) fixed by the video id (FNV-1a), the same on every instance.</summary>
    public static double Stagger(string videoId)
    {
        var hash = 2166136261u;
        foreach (var c in videoId)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return (hash % 1000) / 1000.0;
    }

    /// <summary>One standard deviation of a video's duration by its prior alone: a mean absolute deviation is about 0.8 of one.</summary>
    private static double PriorSpread(DurationPrior prior) =>
        Math.Max(Math.Max(prior.DeviationSeconds * 1.25, prior.MeanSeconds * 0.1), MinSpreadSeconds);

    private static double Square(double x) => x * x;

    // Abramowitz & Stegun 7.1.26, accurate to 1.5e-7: enough to plan polls.
    private static double Erfc(double x)
    {
        var t = 1 / (1 + (0.3275911 * Math.Abs(x)));
        var y = t * (0.254829592 + (t * (-0.284496736 + (t * (1.421413741 + (t * (-1.453152027 + (t * 1.061405429))))))));
        var erfc = y * Math.Exp(-x * x);
        return x >= 0 ? erfc : 2 - erfc;
    }
}
