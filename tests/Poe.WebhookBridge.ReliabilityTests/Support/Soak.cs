using System.Globalization;

namespace Poe.WebhookBridge.ReliabilityTests.Support;

/// <summary>
/// <c>RELIABILITY_SOAK=N</c> multiplies the suite's rounds, watches and waits by N for a soak run; unset, the suite
/// keeps the short sizes that CI runs.
/// </summary>
public static class Soak
{
    public static int Factor { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("RELIABILITY_SOAK"), NumberStyles.None, CultureInfo.InvariantCulture, out var factor) && factor > 1 ? factor : 1;

    public static int Scale(int size) => size * Factor;
}
