using System.Threading.Channels;

namespace Poe.WebhookBridge.Infrastructure;

/// <summary>
/// Collects results from many concurrent producers and writes them in batches from <paramref name="writers"/> loops, so
/// a busy instance spends one transaction per batch instead of one per result. Items added while the service stops are
/// still written.
/// </summary>
public abstract class BatchWriter<T>(int maxBatch, int writers = 1) : BackgroundService
{
    private readonly Channel<T> _pending = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = writers == 1 });

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _pending.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    /// <returns>False, keeping nothing, once the service has stopped.</returns>
    protected bool Add(T item) => _pending.Writer.TryWrite(item);

    /// <summary>Takes an item still waiting for a batch, if there is one.</summary>
    protected bool TryTakeWaiting(out T item) => _pending.Reader.TryRead(out item!);

    /// <summary>Writes one batch; it must not throw for a failure it can leave to the claims' leases.</summary>
    protected abstract Task WriteBatchAsync(List<T> batch);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(WriteAllAsync, CancellationToken.None)));

    private async Task WriteAllAsync()
    {
        var batch = new List<T>(maxBatch);
        while (await _pending.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < maxBatch && _pending.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            // Another loop may have taken what woke this one.
            if (batch.Count > 0)
            {
                await WriteBatchAsync(batch);
                batch.Clear();
            }
        }
    }
}
