namespace Poe.WebhookBridge.Tests.Operations;

/// <summary>Waits for background work (polls, deliveries, a triggered job) to reach a state, checking every 100 ms.</summary>
internal static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}.");
            }

            await Task.Delay(100);
        }
    }
}
