namespace Poe.WebhookBridge.Operations;

/// <summary>
/// The statements of <see cref="RetentionJob"/>. Each finds its rows through an index and touches O(batch) rows however
/// many watches, events and records exist (docs/architecture.md, "Cost at scale").
/// </summary>
internal static class RetentionSql
{
    /// <summary>
    /// The oldest ended watches past the period, walked on <c>ix_watches_ended_at</c>; a watch with an event still to
    /// deliver is skipped until that event settles.
    /// </summary>
    public static FormattableString ExpiredWatches(DateTimeOffset endedBefore, int limit) => $"""
        SELECT w.id AS "Value" FROM bridge.watches w
        WHERE w.ended_at < {endedBefore}
          AND NOT EXISTS (SELECT 1 FROM bridge.webhook_events p WHERE p.watch_id = w.id AND p.status IN ('pending', 'held'))
        ORDER BY w.ended_at
        LIMIT {limit}
        """;

    // Each delete repeats the rule that keeps a watch with an event still pending delivery (a redelivery, or a retention
    // period shorter than the retry schedule) or held for a disabled endpoint: one may have become so since the batch
    // was picked.
    public static FormattableString DeleteAttempts(string[] watchIds) => $"""
        DELETE FROM bridge.delivery_attempts a USING bridge.webhook_events e
        WHERE a.event_id = e.id AND e.watch_id = ANY({watchIds})
          AND NOT EXISTS (SELECT 1 FROM bridge.webhook_events p WHERE p.watch_id = e.watch_id AND p.status IN ('pending', 'held'))
        """;

    public static FormattableString DeleteEvents(string[] watchIds) => $"""
        DELETE FROM bridge.webhook_events e
        WHERE e.watch_id = ANY({watchIds})
          AND NOT EXISTS (SELECT 1 FROM bridge.webhook_events p WHERE p.watch_id = e.watch_id AND p.status IN ('pending', 'held'))
        """;

    // By the batch's ids alone, so the delete goes by primary key (a condition on ended_at beside them lets the planner
    // walk every expired watch on ix_watches_ended_at instead): they were picked past the period, and an end never changes.
    public static FormattableString DeleteWatches(string[] watchIds) => $"""
        DELETE FROM bridge.watches w USING unnest({watchIds}) AS batch(id)
        WHERE w.id = batch.id
          AND NOT EXISTS (SELECT 1 FROM bridge.webhook_events p WHERE p.watch_id = w.id AND p.status IN ('pending', 'held'))
        """;
}
