using Microsoft.Extensions.Options;
using Npgsql;
using Poe.WebhookBridge.Delivery;

namespace Poe.WebhookBridge.Endpoints;

/// <summary>
/// Tracks endpoints from the attempts as they are written back: adds their streaks to the write-back's transaction,
/// and once it commits reports the endpoints it disabled (logged once, by the instance that disabled them).
/// </summary>
public sealed class EndpointHealth(IOptions<WebhooksOptions> options, DisabledEndpointsGauge gauge, TimeProvider time, ILogger<EndpointHealth> logger)
{
    /// <returns>Call it after the transaction commits.</returns>
    public Action AddTo(NpgsqlBatch batch, IReadOnlyCollection<AttemptWriteback> writebacks)
    {
        var disables = EndpointSql.AddTo(batch, writebacks, options.Value.DisableEndpointAfter, time.GetUtcNow());
        return () =>
        {
            var disabled = disables.Where(d => d.Disable.RecordsAffected == 1).Select(d => d.Endpoint).ToList();
            foreach (var endpoint in disabled)
            {
                var host = new Uri(endpoint.Url).Host;
                EndpointLog.Disabled(logger, endpoint.ClientName, host, options.Value.DisableEndpointAfter);
            }

            if (disabled.Count > 0)
            {
                gauge.Refresh();
            }
        };
    }
}
