using Microsoft.Extensions.Options;
using Npgsql;

namespace Poe.WebhookBridge.Polling;

/// <summary>
/// Chooses when a video is polled next. With <c>fixed</c>, or while a key's budget covers every video at
/// <c>Polling:Interval</c>, that is one interval later; otherwise <see cref="AdaptiveCadence"/> spends the budget where
/// completions are likely. Its knowledge (videos and their expected ends per key, learned durations) is read from
/// PostgreSQL every few seconds, so all instances plan alike.
/// </summary>
public sealed class PollPlanner(NpgsqlDataSource dataSource, IOptions<PollingOptions> polling, IOptions<PoeOptions> poe, TimeProvider time)
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(2);

    private volatile Dictionary<string, double> _pressure = [];
    private volatile Dictionary<(string Model, string Seconds), DurationPrior> _priors = [];
    private DateTimeOffset _refreshedAt = DateTimeOffset.MinValue;

    /// <summary>The next poll time, and the estimate of the video's end to store with it (null when polling at a fixed interval).</summary>
    public (DateTimeOffset NextPollAt, DateTimeOffset? ExpectedEndAt, double? EndSpreadSeconds) Plan(
        string poeKeyId, VideoOutlook video, string? model, string? seconds, DateTimeOffset sentAt)
    {
        var options = polling.Value;
        if (options.Strategy == PollingStrategy.Fixed || !_pressure.TryGetValue(poeKeyId, out var pressure))
        {
            return (sentAt + options.Interval, null, null);
        }

        var prior = model is not null && seconds is not null && _priors.TryGetValue((model, seconds), out var learned) ? learned : DurationPrior.Default;
        var (mean, spread) = AdaptiveCadence.ExpectedEnd(video, prior, sentAt);
        var gap = AdaptiveCadence.NextGap(video, prior, sentAt, pressure, options.Interval, options.MaxInterval);
        return (sentAt + gap, sentAt + TimeSpan.FromSeconds(mean), spread);
    }

    /// <summary>Re-reads the keys whose budget is short, their videos' expected ends, and the learned durations.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (polling.Value.Strategy == PollingStrategy.Fixed || now - _refreshedAt < RefreshEvery)
        {
            return;
        }

        _refreshedAt = now;
        var budget = poe.Value.RequestsPerMinute;
        var perMinuteAtInterval = 60 / polling.Value.Interval.TotalSeconds;
        await using var batch = dataSource.CreateBatch();
        // Only keys that cannot poll every video at the interval plan adaptively; the others poll at the interval.
        var estimates = new NpgsqlBatchCommand("""
            WITH short AS (
                SELECT poe_key_id FROM bridge.video_polls GROUP BY poe_key_id HAVING count(*) * $1 > $2)
            SELECT p.poe_key_id, extract(epoch FROM p.expected_end_at - $3)::float8, p.end_spread_seconds
            FROM bridge.video_polls p JOIN short USING (poe_key_id)
            """);
        estimates.Parameters.Add(new NpgsqlParameter { Value = perMinuteAtInterval });
        estimates.Parameters.Add(new NpgsqlParameter { Value = (double)budget });
        estimates.Parameters.Add(new NpgsqlParameter { Value = now });
        batch.BatchCommands.Add(estimates);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT model, video_seconds, mean_seconds, deviation_seconds, samples FROM bridge.duration_stats"));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var byKey = new Dictionary<string, List<(double, double)>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var videos = byKey.TryGetValue(reader.GetString(0), out var list) ? list : byKey[reader.GetString(0)] = [];
            if (!reader.IsDBNull(1) && !reader.IsDBNull(2))
            {
                videos.Add((reader.GetDouble(1), reader.GetDouble(2)));
            }
        }

        await reader.NextResultAsync(cancellationToken);
        var priors = new Dictionary<(string, string), DurationPrior>();
        while (await reader.ReadAsync(cancellationToken))
        {
            priors[(reader.GetString(0), reader.GetString(1))] = new DurationPrior(reader.GetDouble(2), reader.GetDouble(3), reader.GetInt32(4));
        }

        _pressure = byKey.ToDictionary(
            k => k.Key, k => AdaptiveCadence.Pressure(k.Value, budget, polling.Value.Interval, polling.Value.MaxInterval), StringComparer.Ordinal);
        _priors = priors;
    }
}
