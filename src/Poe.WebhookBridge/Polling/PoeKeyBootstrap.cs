using Microsoft.Extensions.Options;
using Npgsql;

namespace Poe.WebhookBridge.Polling;

/// <summary>Creates the shared state and the rate slots of every configured Poe key (idempotent; every instance runs it).</summary>
internal sealed class PoeKeyBootstrap(NpgsqlDataSource dataSource, PoeKeyRing keys, IOptions<PoeOptions> poe) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        foreach (var keyId in keys.KeyIds)
        {
            var state = new NpgsqlBatchCommand("""
                INSERT INTO bridge.poe_keys (id, hold_until, backoff_seconds, paced_until) VALUES ($1, 'epoch', 0, 'epoch') ON CONFLICT (id) DO NOTHING
                """);
            state.Parameters.Add(new NpgsqlParameter { Value = keyId });
            var slots = new NpgsqlBatchCommand("""
                INSERT INTO bridge.rate_slots (poe_key_id, slot, available_at)
                SELECT $1, g, 'epoch' FROM generate_series(0, $2 - 1) AS g
                ON CONFLICT (poe_key_id, slot) DO NOTHING
                """);
            slots.Parameters.Add(new NpgsqlParameter { Value = keyId });
            slots.Parameters.Add(new NpgsqlParameter { Value = poe.Value.RequestsPerMinute });
            batch.BatchCommands.Add(state);
            batch.BatchCommands.Add(slots);
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
