namespace Poe.WebhookBridge.ReliabilityTests.Support;

/// <summary>Waits for the bridges' background work to reach a state, checking twice a second.</summary>
public static class Until
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<Task<string>> describe)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail($"Still not settled after {timeout}: {await describe()}");
            }

            await Task.Delay(500);
        }
    }
}
