using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Infrastructure.Hangfire;

namespace Poe.WebhookBridge.Operations;

/// <summary>PostgreSQL reachable and its schema current (no pending migration).</summary>
internal sealed class DatabaseHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
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
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            return pending.Count == 0
                ? HealthCheckResult.Healthy("PostgreSQL reachable, schema current.")
                : HealthCheckResult.Unhealthy($"Schema not current: {pending.Count} migration(s) pending ({pending[^1]}).");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL unreachable ({ex.GetType().Name}).");
        }
    }
}

/// <summary>This process's Hangfire server is registered and heartbeating.</summary>
internal sealed class HangfireServerHealthCheck(JobStorage storage, TimeProvider time) : IHealthCheck
{
    private static readonly TimeSpan MaxHeartbeatAge = TimeSpan.FromMinutes(1);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        CheckAsync(cancellationToken).Abandoned(cancellationToken);

    private async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Hangfire's monitoring API is synchronous: it runs on a thread of its own.
            var prefix = HangfireServerName.ForThisProcess.ToLowerInvariant();
            var alive = await Task.Run(
                () => storage.GetMonitoringApi().Servers().Any(s =>
                    s.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && s.Heartbeat is { } beat && time.GetUtcNow().UtcDateTime - beat < MaxHeartbeatAge),
                cancellationToken);
            return alive
                ? HealthCheckResult.Healthy("Hangfire server running.")
                : HealthCheckResult.Unhealthy("Hangfire server not running in this process.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"Hangfire storage unreachable ({ex.GetType().Name}).");
        }
    }
}

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
