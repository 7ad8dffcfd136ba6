using Microsoft.Extensions.Options;
using Npgsql;

namespace Poe.WebhookBridge.Polling;

/// <summary>
/// Chooses when a video is polled next. With <c>fixed</c>, or while a key's budget covers every video at
/// <c>Polling:Interval</c>, that is one interval later; otherwise <see cref="AdaptiveCadence"/> spends the budget where
/// completions are likely. Its knowledge (videos per key, learned durations) is read from PostgreSQL every few
/// seconds, so all instances plan alike.
/// </summary>
public sealed class PollPlanner(NpgsqlDataSource dataSource, IOptions<PollingOptions> polling, IOptions<PoeOptions> poe, TimeProvider time)
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(2);

    private volatile Dictionary<string, (long Videos, double PlannedPerMinute)> _keys = [];
    private volatile Dictionary<(string Model, string Seconds), DurationPrior> _priors = [];
    private DateTimeOffset _refreshedAt = DateTimeOffset.MinValue;

    public DateTimeOffset NextPollAt(string poeKeyId, VideoOutlook video, string? model, string? seconds, DateTimeOffset sentAt)
    {
        var options = polling.Value;
        if (options.Strategy == PollingStrategy.Fixed || !IsBudgetShort(poeKeyId))
        {
            return sentAt + options.Interval;
        }

        var prior = model is not null && seconds is not null && _priors.TryGetValue((model, seconds), out var learned) ? learned : DurationPrior.Default;
        var shortest = AdaptiveCadence.ShortestGap(_keys.GetValueOrDefault(poeKeyId).PlannedPerMinute, poe.Value.RequestsPerMinute, options.Interval, options.MaxInterval);
        return sentAt + AdaptiveCadence.NextGap(video, prior, sentAt, shortest, options.MaxInterval);
    }

    /// <summary>Whether polling every video of the key at the interval would need more than its budget.</summary>
    public bool IsBudgetShort(string poeKeyId) =>
        _keys.GetValueOrDefault(poeKeyId).Videos * (60 / polling.Value.Interval.TotalSeconds) > poe.Value.RequestsPerMinute;

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (polling.Value.Strategy == PollingStrategy.Fixed || time.GetUtcNow() - _refreshedAt < RefreshEvery)
        {
            return;
        }

        _refreshedAt = time.GetUtcNow();
        await using var batch = dataSource.CreateBatch();
        // A video's current plan asks for one poll per (next due - last poll); never-polled ones count at the interval.
        var plans = new NpgsqlBatchCommand("""
            SELECT poe_key_id, count(*),
                   sum(60 / greatest(extract(epoch FROM next_poll_at - coalesce(last_polled_at, created_at))::float8, $1))::float8
            FROM bridge.video_polls GROUP BY poe_key_id
            """);
        plans.Parameters.Add(new NpgsqlParameter { Value = polling.Value.Interval.TotalSeconds });
        batch.BatchCommands.Add(plans);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT model, video_seconds, mean_seconds, deviation_seconds, samples FROM bridge.duration_stats"));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var keys = new Dictionary<string, (long, double)>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys[reader.GetString(0)] = (reader.GetInt64(1), reader.GetDouble(2));
        }

        await reader.NextResultAsync(cancellationToken);
        var priors = new Dictionary<(string, string), DurationPrior>();
        while (await reader.ReadAsync(cancellationToken))
        {
            priors[(reader.GetString(0), reader.GetString(1))] = new DurationPrior(reader.GetDouble(2), reader.GetDouble(3), reader.GetInt32(4));
        }

        (_keys, _priors) = (keys, priors);
    }
}
