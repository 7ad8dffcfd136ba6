using Microsoft.Extensions.Diagnostics.HealthChecks;
using Poe.WebhookBridge.Infrastructure.Data;

namespace Poe.WebhookBridge.Operations;

/// <summary>
/// A readiness check that reads the database. It ends at its time-out while its query may run on
/// (<see cref="AbandonedCheck"/>), so it takes its DbContext from a scope of its own, which lives until the query ends,
/// rather than from the health service's scope, which is disposed as soon as the check answers.
/// </summary>
internal abstract class DatabaseCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        CheckAsync(cancellationToken).Abandoned(cancellationToken);

    /// <summary>The answer when the database cannot be read, given the exception's type name.</summary>
    protected abstract string Unreadable(string error);

    protected abstract Task<HealthCheckResult> CheckAsync(BridgeDbContext db, CancellationToken cancellationToken);

    private async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await CheckAsync(scope.ServiceProvider.GetRequiredService<BridgeDbContext>(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy(Unreadable(ex.GetType().Name));
        }
    }
}
