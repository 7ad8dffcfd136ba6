namespace Poe.WebhookBridge.Bench.Infrastructure;

public static class Load
{
    /// <summary>Runs <paramref name="action"/> for 0 … count − 1 on <paramref name="concurrency"/> workers; once <paramref name="stop"/> is cancelled no new item starts.</summary>
    public static async Task ForAllAsync(int count, int concurrency, Func<int, Task> action, CancellationToken stop = default)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while (!stop.IsCancellationRequested && (i = Interlocked.Increment(ref next)) < count)
            {
                await action(i);
            }
        }));
    }
}
