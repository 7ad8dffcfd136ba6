using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Poe.WebhookBridge.Infrastructure.Hangfire;

namespace Poe.WebhookBridge.Operations;

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
