namespace Poe.WebhookBridge.Operations;

/// <summary>
/// Retention's purge of <c>bridge.idempotency_records</c>; the other purges of <see cref="RetentionJob"/> are in their
/// tables' homes (<c>WatchRows</c>, <c>WebhookEvents</c>, <c>DeliveryAttempts</c>, <c>GatewayRequests</c>). Each finds its
/// rows through an index and touches O(batch) rows however many exist (docs/architecture.md, "Cost at scale").
/// </summary>
internal static class RetentionSql
{
    /// <summary>By ctid, so the delete reads exactly the rows its subquery locked, not the whole table to match them.</summary>
    public static FormattableString DeleteIdempotencyRecords(DateTimeOffset createdBefore, int limit) => $"""
        DELETE FROM bridge.idempotency_records WHERE ctid = ANY(ARRAY(
            SELECT ctid FROM bridge.idempotency_records
            WHERE created_at <= {createdBefore}
            ORDER BY created_at
            LIMIT {limit} FOR UPDATE SKIP LOCKED))
        """;
}
