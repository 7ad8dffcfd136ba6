using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Poe.WebhookBridge.Infrastructure.Data;

namespace Poe.WebhookBridge.Operations;

/// <summary>PostgreSQL reachable and its schema current (no pending migration).</summary>
internal sealed class DatabaseHealthCheck(IServiceScopeFactory scopes) : DatabaseCheck(scopes)
{
    protected override string Unreadable(string error) => $"PostgreSQL unreachable ({error}).";

    protected override async Task<HealthCheckResult> CheckAsync(BridgeDbContext db, CancellationToken cancellationToken)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        return pending.Count == 0
            ? HealthCheckResult.Healthy("PostgreSQL reachable, schema current.")
            : HealthCheckResult.Unhealthy($"Schema not current: {pending.Count} migration(s) pending ({pending[^1]}).");
    }
}
