using Microsoft.Extensions.Options;
using Npgsql;

namespace Poe.WebhookBridge.Delivery;

/// <summary>
/// Leases due events to this process in one statement: SKIP LOCKED lets instances claim side by side, saturated hosts
/// are never scanned, and no host gets more rows than its free slots. The lease is next_attempt_at pushed past the
/// attempt's time-out, so a crashed instance's events simply fall due again (at least once). An event of a disabled
/// endpoint is never claimed, even one that became pending while the endpoint was being disabled.
/// </summary>
public sealed class OutboxClaims(NpgsqlDataSource dataSource, IOptions<WebhooksOptions> options, TimeProvider time)
{
    public const int BatchSize = 100;

    /// <summary>Time for the result to be written back after the attempt's own time-out.</summary>
    public static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(10);

    internal const string ClaimSql = """
        WITH candidates AS (
            SELECT id, callback_host, next_attempt_at
            FROM bridge.webhook_events
            WHERE status = 'pending' AND next_attempt_at <= $1 AND callback_host <> ALL($2)
              AND NOT EXISTS (SELECT 1 FROM bridge.endpoints d
                              WHERE d.status = 'disabled' AND d.client_name = webhook_events.client_name AND d.url = webhook_events.callback_origin)
            ORDER BY next_attempt_at
            LIMIT $3
            FOR UPDATE SKIP LOCKED
        ), ranked AS (
            SELECT id, callback_host, next_attempt_at,
                   row_number() OVER (PARTITION BY callback_host ORDER BY next_attempt_at) AS host_rank
            FROM candidates
        ), picked AS (
            SELECT r.id
            FROM ranked r
            LEFT JOIN unnest($4::text[], $5::int[]) AS busy(host, free) ON busy.host = r.callback_host
            WHERE r.host_rank <= coalesce(busy.free, $6)
            ORDER BY r.next_attempt_at
            LIMIT $7
        )
        UPDATE bridge.webhook_events AS e
        SET next_attempt_at = $8
        FROM picked
        WHERE e.id = picked.id
        RETURNING e.id, e.watch_id, e.client_name, e.payload, e.callback_url, e.callback_host, e.created_at, e.attempt_count, e.next_attempt_at
        """;

    public async Task<IReadOnlyList<ClaimedEvent>> ClaimAsync(DeliveryCapacity capacity, CancellationToken cancellationToken)
    {
        var take = Math.Min(BatchSize, capacity.Free);
        if (take <= 0)
        {
            return [];
        }

        var now = time.GetUtcNow();
        var partlyBusy = capacity.PartlyBusyHosts.ToArray();
        await using var command = dataSource.CreateCommand(ClaimSql);
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = capacity.SaturatedHosts });
        command.Parameters.Add(new NpgsqlParameter { Value = take * 4 });
        command.Parameters.Add(new NpgsqlParameter { Value = partlyBusy.Select(h => h.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = partlyBusy.Select(h => h.Value).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = DeliveryCapacity.MaxPerHost });
        command.Parameters.Add(new NpgsqlParameter { Value = take });
        command.Parameters.Add(new NpgsqlParameter { Value = now + options.Value.Timeout + LeaseMargin });

        var claimed = new List<ClaimedEvent>(take);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new ClaimedEvent(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetFieldValue<DateTimeOffset>(6), reader.GetInt32(7), reader.GetFieldValue<DateTimeOffset>(8)));
        }

        return claimed;
    }
}
