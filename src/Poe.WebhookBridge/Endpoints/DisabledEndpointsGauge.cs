using System.Threading.Channels;
using Npgsql;
using Poe.WebhookBridge.Operations;

namespace Poe.WebhookBridge.Endpoints;

/// <summary>
/// Keeps <c>bridge_endpoints_disabled</c> at the count in the database, which every instance shares: at once after
/// a change made here, and every <see cref="Interval"/> for changes made by other instances.
/// </summary>
public sealed class DisabledEndpointsGauge(NpgsqlDataSource dataSource, BridgeMetrics metrics, ILogger<DisabledEndpointsGauge> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private const string CountDisabled = $"SELECT count(*) FROM bridge.endpoints WHERE status = '{EndpointStatus.Disabled}'";

    private readonly Channel<bool> _refresh = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Refresh() => _refresh.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var command = dataSource.CreateCommand(CountDisabled);
                metrics.EndpointsDisabled((long)(await command.ExecuteScalarAsync(stoppingToken))!);
            }
            catch (NpgsqlException ex)
            {
                EndpointLog.GaugeRefreshFailed(logger, ex);
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            wait.CancelAfter(Interval);
            try
            {
                await _refresh.Reader.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
            }
        }
    }
}
