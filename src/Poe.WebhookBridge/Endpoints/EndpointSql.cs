using Npgsql;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Infrastructure;
using Poe.WebhookBridge.Infrastructure.Data;

namespace Poe.WebhookBridge.Endpoints;

/// <summary>Every statement that changes <c>bridge.endpoints</c>; the holding and releasing of their events is in <see cref="WebhookEvents"/>.</summary>
internal static class EndpointSql
{
    // A batch's attempts to one endpoint arrive as one streak summary ($4 first failure after its last 2xx, $5 those
    // failures, $6 its last 2xx): a 2xx in the batch restarts the streak, none extends the stored one.
    private const string Record = $"""
        INSERT INTO bridge.endpoints AS p (id, client_name, url, status, failing_since, failed_attempts, last_success_at, created_at)
        VALUES ($1, $2, $3, '{EndpointStatus.Enabled}', $4, $5, $6, $7)
        ON CONFLICT (client_name, url) DO UPDATE SET
            failing_since = CASE WHEN $6::timestamptz IS NOT NULL THEN $4 ELSE coalesce(p.failing_since, $4) END,
            failed_attempts = CASE WHEN $6::timestamptz IS NOT NULL THEN $5 ELSE p.failed_attempts + $5 END,
            last_success_at = greatest(p.last_success_at, $6)
        """;

    private const string Disable = $"""
        UPDATE bridge.endpoints SET status = '{EndpointStatus.Disabled}', disabled_at = $3
        WHERE client_name = $1 AND url = $2 AND status = '{EndpointStatus.Enabled}' AND failed_attempts >= 2 AND failing_since <= $3 - $4::interval
        """;

    // Enabling an enabled endpoint changes nothing: its streak runs on.
    private const string Enable = $"""
        UPDATE bridge.endpoints SET status = '{EndpointStatus.Enabled}', disabled_at = NULL,
            failing_since = CASE WHEN status = '{EndpointStatus.Disabled}' THEN NULL ELSE failing_since END,
            failed_attempts = CASE WHEN status = '{EndpointStatus.Disabled}' THEN 0 ELSE failed_attempts END
        WHERE id = $1 AND client_name = $2
        RETURNING url
        """;

    /// <summary>
    /// Adds each endpoint's streak, and its disabling when the streak has lasted <paramref name="disableAfter"/>, in
    /// origin order: two batches then lock the same endpoints in the same order and cannot deadlock.
    /// </summary>
    /// <returns>The disabling statements, whose RecordsAffected says whether this batch disabled the endpoint.</returns>
    public static IReadOnlyList<(EndpointKey Endpoint, NpgsqlBatchCommand Disable)> AddTo(
        NpgsqlBatch batch, IEnumerable<AttemptWriteback> writebacks, TimeSpan disableAfter, DateTimeOffset now)
    {
        var disables = new List<(EndpointKey, NpgsqlBatchCommand)>();
        foreach (var streak in EndpointStreak.Of(writebacks))
        {
            var (client, url) = (streak.Endpoint.ClientName, streak.Endpoint.Url);
            Add(batch, Record, Ids.NewEndpointId(), client, url, streak.FailingSince, streak.Failures, streak.LastSuccessAt, now);
            if (streak.LastFailureAt is { } lastFailure)
            {
                disables.Add((streak.Endpoint, Add(batch, Disable, client, url, lastFailure, disableAfter)));
                WebhookEvents.AddHold(batch, client, url);
            }
        }

        return disables;
    }

    /// <summary>Enables the client's endpoint <paramref name="id"/>; its streak starts afresh if it was disabled.</summary>
    /// <returns>The endpoint's URL, or null when the client has no such endpoint.</returns>
    public static async Task<string?> EnableAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string id, string clientName, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(connection, transaction, Enable, id, clientName);
        return (string?)await command.ExecuteScalarAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand Add(NpgsqlBatch batch, string sql, params object?[] values) => SqlCommands.Add(batch, sql, values);
}
