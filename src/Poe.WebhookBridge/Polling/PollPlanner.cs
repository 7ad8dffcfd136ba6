using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Npgsql;
using Poe.WebhookBridge.Budget;

namespace Poe.WebhookBridge.Polling;

/// <summary>
/// Chooses when a video is polled next. With <c>fixed</c>, or while a key's budget covers every video at
/// <c>Polling:Interval</c>, that is one interval later; otherwise <see cref="AdaptiveCadence"/> spends the budget where
/// completions are likely. What it plans from (each key's recent requests and waiting polls, learned durations) is read
/// from PostgreSQL every few seconds, so all instances plan alike.
/// </summary>
/// <remarks>
/// That read counts each key's polls, so it grows with the watches: it runs every <see cref="AdaptiveCadence.SteeringStep"/>
/// or, when it takes longer than <see cref="MaxBusyShare"/> of that, as much less often as keeps it to that share of the
/// time (at 1,000,000 watches it takes ~0.5 s: every 10 s instead of every 2 s). The pressure moves per second, not per
/// read, so the spacing changes how often the plans are steered, not how fast.
/// </remarks>
public sealed class PollPlanner(NpgsqlDataSource dataSource, IOptions<PollingOptions> polling, IOptions<PoeOptions> poe, TimeProvider time)
{
    private const double MaxBusyShare = 0.05;

    private volatile Dictionary<string, ShortKey> _short = [];
    private volatile Dictionary<(string Model, string Seconds), DurationPrior> _priors = [];
    private volatile FirstGaps _firstGaps = new([]);
    private DateTimeOffset? _refreshedAt;
    private DateTimeOffset _nextRefreshAt = DateTimeOffset.MinValue;

    /// <summary>
    /// The next poll time, counted from when the last poll's answer arrived, and the estimate of the video's end to
    /// store with it (null when polling at a fixed interval).
    /// </summary>
    public (DateTimeOffset NextPollAt, DateTimeOffset? ExpectedEndAt, double? EndSpreadSeconds) Plan(
        string poeKeyId, string videoId, VideoOutlook video, string? model, string? seconds, DateTimeOffset answeredAt)
    {
        var options = polling.Value;
        if (!Steered(poeKeyId, answeredAt, out var pressure))
        {
            return (answeredAt + options.Interval, null, null);
        }

        var prior = model is not null && seconds is not null && _priors.TryGetValue((model, seconds), out var learned) ? learned : DurationPrior.Default;
        var (mean, spread) = AdaptiveCadence.ExpectedEnd(video, prior, answeredAt);
        var gap = AdaptiveCadence.NextGap(mean, spread, pressure, options.Interval, options.MaxInterval, AdaptiveCadence.Stagger(videoId));
        return (answeredAt + gap, answeredAt + TimeSpan.FromSeconds(mean), spread);
    }

    /// <summary>
    /// When a video new to the bridge is first polled. At once (SPEC §3), unless its key is short of budget under
    /// adaptive polling: a video is registered as it is created, so its first poll would almost always find it queued,
    /// and in a stretched budget that request buys more near another video's end. Then the first poll is planned like
    /// any other (see <see cref="AdaptiveCadence.FirstGap"/>).
    /// </summary>
    public DateTimeOffset PlanFirst(string poeKeyId, string videoId, DateTimeOffset registeredAt)
    {
        var options = polling.Value;
        if (!Steered(poeKeyId, registeredAt, out var pressure))
        {
            return registeredAt;
        }

        return registeredAt + _firstGaps.For(pressure, options, AdaptiveCadence.Stagger(videoId));
    }

    /// <summary>
    /// Whether the key plans adaptively at <paramref name="at"/>, and at what price of a request: only once it has been
    /// short of budget for a whole <see cref="AdaptiveCadence.SteeringWindow"/>. Before that its price is a guess, not
    /// yet steered by its own demand, and a key short for a moment (a burst of videos that end at their first poll)
    /// is better served at the interval, which the rate slots and the pacer keep within the budget anyway.
    /// </summary>
    private bool Steered(string poeKeyId, DateTimeOffset at, out double pressure)
    {
        pressure = 0;
        if (polling.Value.Strategy != PollingStrategy.Adaptive || !_short.TryGetValue(poeKeyId, out var key) || at - key.Since < AdaptiveCadence.SteeringWindow)
        {
            return false;
        }

        pressure = key.Pressure;
        return true;
    }

    /// <summary>
    /// Re-reads, for each key whose budget is short, how many requests it sent lately and how many polls wait for it,
    /// and steers its pressure by them; and re-reads the learned durations.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (polling.Value.Strategy == PollingStrategy.Fixed || now < _nextRefreshAt)
        {
            return;
        }

        var sinceLast = now - (_refreshedAt ?? now - AdaptiveCadence.SteeringStep);
        _refreshedAt = now;
        _nextRefreshAt = now + AdaptiveCadence.SteeringStep;
        var started = time.GetTimestamp();
        var budget = poe.Value.RequestsPerMinute;
        await using var batch = dataSource.CreateBatch();
        // Only keys that cannot poll every video at the interval plan adaptively; the others poll at the interval.
        // A rate slot taken at t is reusable at t + the slot period, so the slots sent within the window are those reusable after $4.
        var demand = new NpgsqlBatchCommand("""
            WITH short AS (
                SELECT poe_key_id, count(*) FILTER (WHERE next_poll_at <= $3) AS waiting
                FROM bridge.video_polls GROUP BY poe_key_id HAVING count(*) * $1 > $2)
            SELECT s.poe_key_id, s.waiting::int,
                   (SELECT count(*) FROM bridge.rate_slots r WHERE r.poe_key_id = s.poe_key_id AND r.slot < $2 AND r.available_at > $4)::int
            FROM short s
            """);
        demand.Parameters.Add(new NpgsqlParameter { Value = 60 / polling.Value.Interval.TotalSeconds });
        demand.Parameters.Add(new NpgsqlParameter { Value = budget });
        demand.Parameters.Add(new NpgsqlParameter { Value = now });
        demand.Parameters.Add(new NpgsqlParameter { Value = now + PoeBudget.SlotPeriod - AdaptiveCadence.SteeringWindow });
        batch.BatchCommands.Add(demand);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT model, video_seconds, mean_seconds, deviation_seconds, samples, surprise FROM bridge.duration_stats"));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var keys = new Dictionary<string, ShortKey>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            var current = _short.GetValueOrDefault(id) ?? new ShortKey(AdaptiveCadence.InitialPressure, now);
            keys[id] = current with { Pressure = AdaptiveCadence.NextPressure(current.Pressure, sentInWindow: reader.GetInt32(2), waiting: reader.GetInt32(1), budget, sinceLast) };
        }

        await reader.NextResultAsync(cancellationToken);
        var priors = new Dictionary<(string, string), DurationPrior>();
        while (await reader.ReadAsync(cancellationToken))
        {
            priors[(reader.GetString(0), reader.GetString(1))] = new DurationPrior(reader.GetDouble(2), reader.GetDouble(3), reader.GetInt32(4), reader.GetDouble(5));
        }

        _short = keys;
        _priors = priors;
        _firstGaps = new FirstGaps(priors.Values);
        var took = time.GetElapsedTime(started);
        _nextRefreshAt = now + Max(AdaptiveCadence.SteeringStep, took / MaxBusyShare);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>
    /// The first gaps of new videos under one refresh's learned durations. Planning one cost a registration more CPU than
    /// the rest of its work in this process, and it depends only on the key's pressure (fixed between refreshes) and the
    /// longest gap the video's stagger allows (a few whole seconds), so a refresh's registrations plan a handful.
    /// </summary>
    private sealed class FirstGaps(IReadOnlyCollection<DurationPrior> priors)
    {
        private readonly ConcurrentDictionary<(double Pressure, int Longest), TimeSpan> _gaps = new();

        public TimeSpan For(double pressure, PollingOptions options, double stagger) => _gaps.GetOrAdd(
            (pressure, AdaptiveCadence.LongestGap(options.Interval, options.MaxInterval, stagger)),
            static (key, plan) => AdaptiveCadence.FirstGap(plan.priors, key.Pressure, plan.options.Interval, plan.options.MaxInterval, plan.stagger),
            (priors, options, stagger));
    }

    /// <summary>A key short of budget: its price of a request, and since when it has been short without a break.</summary>
    private sealed record ShortKey(double Pressure, DateTimeOffset Since);
}
