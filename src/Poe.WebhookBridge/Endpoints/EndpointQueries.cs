using Npgsql;
using Poe.WebhookBridge.Infrastructure.Time;
using Poe.WebhookBridge.Delivery;

namespace Poe.WebhookBridge.Endpoints;

/// <summary>Reads a client's endpoints with exact counts, straight from the events and attempts.</summary>
public sealed class EndpointQueries(NpgsqlDataSource dataSource, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(24);

    internal const string Sql = $"""
        SELECT p.id, p.url, p.status, p.failing_since, p.last_success_at,
            (SELECT count(*) FROM bridge.webhook_events e
             WHERE e.client_name = p.client_name AND e.callback_origin = p.url AND e.status IN ('{DeliveryStatus.Pending}', '{DeliveryStatus.Held}')),
            (SELECT count(*) FROM bridge.webhook_events e
             WHERE e.client_name = p.client_name AND e.callback_origin = p.url AND e.status = '{DeliveryStatus.Failed}'),
            recent.delivered, recent.failed
        FROM bridge.endpoints p
        CROSS JOIN LATERAL (
            SELECT count(*) FILTER (WHERE a.status_code BETWEEN 200 AND 299) AS delivered,
                   count(*) FILTER (WHERE a.status_code IS NULL OR a.status_code NOT BETWEEN 200 AND 299) AS failed
            FROM bridge.delivery_attempts a
            WHERE a.client_name = p.client_name AND a.callback_origin = p.url AND a.at >= $2) AS recent
        WHERE p.client_name = $1 AND ($3::text IS NULL OR p.id = $3)
        ORDER BY p.created_at, p.id
        """;

    public Task<List<EndpointResponse>> ListAsync(string clientName, CancellationToken cancellationToken) => QueryAsync(clientName, null, cancellationToken);

    public async Task<EndpointResponse?> FindAsync(string clientName, string id, CancellationToken cancellationToken) =>
        // PostgreSQL text cannot hold NUL: such an id is no endpoint's, not an error.
        id.Contains('\0', StringComparison.Ordinal) ? null : (await QueryAsync(clientName, id, cancellationToken)).SingleOrDefault();

    private async Task<List<EndpointResponse>> QueryAsync(string clientName, string? id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter { Value = clientName });
        command.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() - Window });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)id ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var endpoints = new List<EndpointResponse>();
        while (await reader.ReadAsync(cancellationToken))
        {
            endpoints.Add(new EndpointResponse(
                reader.GetString(0), reader.GetString(1), reader.GetString(2),
                UnixTime.Seconds(reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3)),
                UnixTime.Seconds(reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4)),
                reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8)));
        }

        return endpoints;
    }
}
