namespace Poe.WebhookBridge.Delivery;

/// <summary>How many more attempts this process may start: in all, and for each host that already has some in flight.</summary>
public sealed record DeliveryCapacity(int Free, IReadOnlyDictionary<string, int> FreeByBusyHost)
{
    public const int MaxInFlight = 256;

    /// <summary>One consumer never holds more than this many of our connections, so a slow one cannot starve the rest.</summary>
    public const int MaxPerHost = 16;

    public string[] SaturatedHosts => [.. FreeByBusyHost.Where(h => h.Value <= 0).Select(h => h.Key)];

    public IEnumerable<KeyValuePair<string, int>> PartlyBusyHosts => FreeByBusyHost.Where(h => h.Value > 0);
}
