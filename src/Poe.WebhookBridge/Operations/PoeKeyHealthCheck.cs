using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Infrastructure.Hangfire;

namespace Poe.WebhookBridge.Operations;

/// <summary>No Poe key of ours is currently rejected by Poe (401).</summary>
internal sealed class PoeKeyHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        CheckAsync(cancellationToken).Abandoned(cancellationToken);

    private async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Its own scope, not the health service's: an abandoned check's query runs on after the service disposed its scope.
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BridgeDbContext>();
            var rejected = await db.PoeKeys.Where(k => k.UnauthorizedSince != null).Select(k => k.Id).ToListAsync(cancellationToken);
            return rejected.Count == 0
                ? HealthCheckResult.Healthy("No Poe key rejected.")
                : HealthCheckResult.Unhealthy($"Poe rejected key(s) {string.Join(", ", rejected)} with 401; polling with them is paused.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"Poe key state unreadable ({ex.GetType().Name}).");
        }
    }
}
