namespace Poe.WebhookBridge.Tests.Support;

/// <summary>
/// The one way tests wait for background work (polls, deliveries, a triggered job, a cluster settling) to reach a
/// state: check, pause, check again until a deadline; at the deadline the test fails with what it waited for.
/// Shared with the reliability suite.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    /// <summary>Between checks that query a whole cluster: often enough, without loading the bridges being measured.</summary>
    private static readonly TimeSpan ClusterPause = TimeSpan.FromMilliseconds(500);

    /// <returns>The first non-null value <paramref name="probe"/> returns.</returns>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
        where T : class
    {
        T? value = null;
        await WaitAsync(async () => (value = await probe()) is not null, timeout, Pause, () => Task.FromResult(what));
        return value!;
    }

    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        WaitAsync(condition, timeout, Pause, () => Task.FromResult(what));

    /// <summary>For a cluster's state: checked twice a second, and described by <paramref name="describe"/> on failure.</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<Task<string>> describe) =>
        WaitAsync(condition, timeout, ClusterPause, describe);

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan pause, Func<Task<string>> describe)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {await describe()}.");
            }

            await Task.Delay(pause);
        }
    }
}
