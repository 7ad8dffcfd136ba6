using System.Threading.Channels;

namespace Poe.WebhookBridge.Infrastructure;

/// <summary>
/// Collects results from many concurrent producers and writes them in batches from one loop, so a busy instance
/// spends one transaction per batch instead of one per result. Items added while the service stops are still written.
/// </summary>
public abstract class BatchWriter<T>(int maxBatch) : BackgroundService
{
    private readonly Channel<T> _pending = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _pending.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected void Add(T item) => _pending.Writer.TryWrite(item);

    /// <summary>Writes one batch; it must not throw for a failure it can leave to the claims' leases.</summary>
    protected abstract Task WriteBatchAsync(List<T> batch);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<T>(maxBatch);
        while (await _pending.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < maxBatch && _pending.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            await WriteBatchAsync(batch);
            batch.Clear();
        }
    }
}
