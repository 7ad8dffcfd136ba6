using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Poe.WebhookBridge.Infrastructure.Data;

namespace Poe.WebhookBridge.Operations;

/// <summary>No Poe key of ours is currently rejected by Poe (401).</summary>
internal sealed class PoeKeyHealthCheck(IServiceScopeFactory scopes) : DatabaseCheck(scopes)
{
    protected override string Unreadable(string error) => $"Poe key state unreadable ({error}).";

    protected override async Task<HealthCheckResult> CheckAsync(BridgeDbContext db, CancellationToken cancellationToken)
    {
        var rejected = await db.PoeKeys.Where(k => k.UnauthorizedSince != null).Select(k => k.Id).ToListAsync(cancellationToken);
        return rejected.Count == 0
            ? HealthCheckResult.Healthy("No Poe key rejected.")
            : HealthCheckResult.Unhealthy($"Poe rejected key(s) {string.Join(", ", rejected)} with 401; polling with them is paused.");
    }
}
