using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Budget;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Tests.Support;

/// <summary>The bridge's own database as the tests see it: through the app's <see cref="BridgeDbContext"/>.</summary>
public sealed class BridgeDatabase(IServiceProvider services)
{
    /// <summary>
    /// Per-Poe-key budget state, written by the background poller on its own schedule, and the data-protection key
    /// ring, created by the host when it first needs a key: neither is written by API requests.
    /// </summary>
    private static readonly Type[] PollerBudgetState = [typeof(PoeKeyState), typeof(RateSlot), typeof(Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey)];

    public async Task<T> QueryAsync<T>(Func<BridgeDbContext, Task<T>> query)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BridgeDbContext>();
        // The bridge never saves through its context, so its queries do not track; tests arrange rows through it.
        db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.TrackAll;
        return await query(db);
    }

    /// <summary>
    /// Empties every table of the bridge schema (the EF migrations history is not in the model, so it stays), then
    /// re-creates what the bridge itself creates at start-up, so the next test starts as on a freshly started bridge.
    /// </summary>
    public async Task ResetAsync()
    {
        await QueryAsync(async db =>
        {
            var sql = $"TRUNCATE {string.Join(", ", Tables(db))} RESTART IDENTITY CASCADE";
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await db.Database.ExecuteSqlRawAsync(sql);
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 5)
                {
                    // The background jobs may hold row locks in another order; try again.
                }
            }
        });

        // Each Poe key's state and rate slots: without them nothing would be polled after a reset.
        foreach (var seeder in services.GetServices<IHostedService>().OfType<PoeKeyBootstrap>())
        {
            await seeder.StartAsync(CancellationToken.None);
        }
    }

    /// <summary>Row counts of every table a request can write, plus each watch's state, to prove a request changed nothing.</summary>
    public Task<string> SnapshotAsync() => QueryAsync(async db =>
    {
        var lines = new List<string>();
        foreach (var table in Tables(db, exclude: PollerBudgetState))
        {
#pragma warning disable EF1002 // The table names come from the EF model, not from input.
            var count = await db.Database.SqlQueryRaw<long>($"SELECT count(*) AS \"Value\" FROM {table}").SingleAsync();
#pragma warning restore EF1002
            lines.Add($"{table}: {count}");
        }

        var watches = await db.Watches.AsNoTracking().OrderBy(w => w.Id).Select(w => new { w.Id, w.Status, w.EndedAt }).ToListAsync();
        lines.AddRange(watches.Select(w => $"{w.Id}: {w.Status} {w.EndedAt:O}"));
        return string.Join('\n', lines);
    });

    private static List<string> Tables(BridgeDbContext db, Type[]? exclude = null) =>
    [
        .. db.Model.GetEntityTypes()
            .Where(e => e.GetTableName() is not null && !(exclude ?? []).Contains(e.ClrType))
            .Select(e => $"\"{e.GetSchema() ?? BridgeDbContext.Schema}\".\"{e.GetTableName()}\"")
            .Distinct()
            .Order(StringComparer.Ordinal),
    ];
}
