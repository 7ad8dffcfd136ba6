using System.Diagnostics.CodeAnalysis;

namespace Poe.Simulator.Videos;

/// <summary>Maps the fraction of running time elapsed (0 ≤ f &lt; 1) to a progress of 0–99, never decreasing.</summary>
public sealed class ProgressCurve
{
    private readonly double[] _times;
    private readonly int[] _values;
    private readonly bool[] _plateaus;

    private ProgressCurve(double[] times, int[] values, bool[] plateaus) =>
        (_times, _values, _plateaus) = (times, values, plateaus);

    // Ends at 100 so progress is the percentage elapsed; At() caps it at 99 until the outcome.
    public static ProgressCurve Linear { get; } = new([0, 1], [0, 100], [false]);

    [SuppressMessage("Security", "CA5394", Justification = "A simulation needs reproducible, not secure, randomness.")]
    public static ProgressCurve Uneven(int seed)
    {
        var random = new Random(seed);
        var inner = random.Next(2, 6);
        var times = Enumerable.Range(0, inner).Select(_ => 0.05 + random.NextDouble() * 0.9).Order();
        var values = Enumerable.Range(0, inner).Select(_ => random.Next(1, 99)).Order();
        var plateaus = Enumerable.Range(0, inner + 1).Select(_ => random.NextDouble() < 0.6);
        return new ProgressCurve([0, .. times, 1], [0, .. values, 99], [.. plateaus]);
    }

    /// <summary>
    /// Like a generation that reports its steps: progress is the share of the run done, drifting a few points (one
    /// standard deviation: 3) ahead or behind as the pace varies, then sits at 99 while the file is finalised (the
    /// last 2–8 % of the run).
    /// </summary>
    [SuppressMessage("Security", "CA5394", Justification = "A simulation needs reproducible, not secure, randomness.")]
    public static ProgressCurve Drifting(int seed)
    {
        var random = new Random(seed);
        var finishing = 0.02 + (random.NextDouble() * 0.06);
        var inner = random.Next(4, 9);
        var times = Enumerable.Range(0, inner).Select(_ => 0.03 + (random.NextDouble() * (0.94 - finishing))).Order().ToArray();
        var values = times.Select(t => Math.Clamp((int)Math.Round((100 * t / (1 - finishing)) + (3 * Gaussian(random))), 1, 98)).Order();
        return new ProgressCurve([0, .. times, 1 - finishing, 1], [0, .. values, 99, 99], new bool[inner + 2]);
    }

    public int At(double fraction)
    {
        fraction = Math.Clamp(fraction, 0, 1);
        var segment = 0;
        while (segment < _plateaus.Length - 1 && fraction >= _times[segment + 1])
            segment++;
        if (_plateaus[segment])
            return _values[segment];
        var span = _times[segment + 1] - _times[segment];
        var within = span <= 0 ? 1 : (fraction - _times[segment]) / span;
        var value = _values[segment] + (int)Math.Floor(within * (_values[segment + 1] - _values[segment]));
        return Math.Min(value, 99);
    }

    [SuppressMessage("Security", "CA5394", Justification = "A simulation needs reproducible, not secure, randomness.")]
    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
