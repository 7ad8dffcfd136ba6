using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Poe.WebhookBridge.Clients;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Infrastructure.Problems;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Endpoints;

internal static class EnableEndpoint
{
    /// <summary>
    /// Idempotent. The streak starts afresh, so an endpoint still down is disabled again only after another full
    /// <c>Webhooks:DisableEndpointAfter</c>. Released events are due at once; the claim's per-host cap paces them.
    /// </summary>
    public static async Task<Results<Ok<EndpointResponse>, ProblemHttpResult>> HandleAsync(
        string id, HttpContext context, ClientRegistry clients, NpgsqlDataSource dataSource, EndpointQueries queries, DeliveryDispatcher dispatcher,
        DisabledEndpointsGauge gauge, TimeProvider time, ILogger<EndpointHealth> logger, CancellationToken cancellationToken)
    {
        var client = context.CurrentClient(clients);
        if (id.Contains('\0', StringComparison.Ordinal))
        {
            return Problems.NotFound("endpoint");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var url = await EndpointSql.EnableAsync(connection, transaction, id, client.Name, cancellationToken);
        if (url is null)
        {
            return Problems.NotFound("endpoint");
        }

        var released = await WebhookEvents.ReleaseAsync(connection, transaction, client.Name, url, time.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        dispatcher.Wake();
        gauge.Refresh();
        var host = new Uri(url).Host;
        EndpointLog.Enabled(logger, client.Name, host, released);
        return TypedResults.Ok((await queries.FindAsync(client.Name, id, cancellationToken))!);
    }
}
