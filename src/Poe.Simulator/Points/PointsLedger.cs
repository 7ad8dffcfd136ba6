using Microsoft.Extensions.Options;

namespace Poe.Simulator.Points;

/// <summary>
/// What each key has spent of its <see cref="SimulatorOptions.PointsPerKey"/>: a video costs one point per second
/// generated, and a key whose points are used up gets Poe's 402 instead of a video.
/// </summary>
public sealed class PointsLedger(IOptions<SimulatorOptions> options)
{
    private readonly Dictionary<string, int> _spent = new(StringComparer.Ordinal);

    /// <summary>Spends <paramref name="cost"/> points of the key; false, spending nothing, when it has too few left.</summary>
    public bool TrySpend(string key, int cost)
    {
        if (options.Value.PointsPerKey is not { } points)
            return true;

        lock (_spent)
        {
            var spent = _spent.GetValueOrDefault(key);
            if (spent + cost > points)
                return false;
            _spent[key] = spent + cost;
            return true;
        }
    }
}
