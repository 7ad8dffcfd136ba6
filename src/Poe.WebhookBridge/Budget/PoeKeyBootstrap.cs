using Microsoft.Extensions.Options;
using Npgsql;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Budget;

/// <summary>Creates the shared state and the rate slots of every configured Poe key (idempotent; every instance runs it).</summary>
internal sealed class PoeKeyBootstrap(NpgsqlDataSource dataSource, PoeKeyRing keys, IOptions<PoeOptions> poe) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        // One slot row per request a minute for every key (hundreds of thousands for many busy keys): start-up work like
        // the migrations, so it gets their time-out, not a request's.
        batch.Timeout = (int)ConnectionDefaults.SchemaCommandTimeout.TotalSeconds;
        foreach (var keyId in keys.KeyIds)
        {
            PoeKeys.Seed(batch, keyId);
            RateSlots.Seed(batch, keyId, poe.Value.RequestsPerMinute);
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
