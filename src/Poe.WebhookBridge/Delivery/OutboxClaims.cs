using Microsoft.Extensions.Options;
using Npgsql;
using Poe.WebhookBridge.Infrastructure.Data;

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

    /// <summary>How many events a claim with <paramref name="capacity"/> asks for.</summary>
    public static int Take(DeliveryCapacity capacity) => Math.Min(BatchSize, capacity.Free);

    public async Task<IReadOnlyList<ClaimedEvent>> ClaimAsync(DeliveryCapacity capacity, CancellationToken cancellationToken)
    {
        var take = Take(capacity);
        if (take <= 0)
        {
            return [];
        }

        var now = time.GetUtcNow();
        var partlyBusy = capacity.PartlyBusyHosts.ToArray();
        await using var command = SqlCommands.Create(dataSource, WebhookEvents.Claim, now, capacity.SaturatedHosts, take * 4,
            partlyBusy.Select(h => h.Key).ToArray(), partlyBusy.Select(h => h.Value).ToArray(), DeliveryCapacity.MaxPerHost, take,
            now + options.Value.Timeout + LeaseMargin);

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
