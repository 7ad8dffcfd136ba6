using Poe.Simulator.Videos;

namespace Poe.WebhookBridge.Tests.Polling.Simulation;

/// <summary>One synthetic video: when it is created, starts, ends, how it ends, and its progress along the way.</summary>
internal sealed record SyntheticVideo(string Model, string Seconds, double CreatedAt, double StartsAt, double EndsAt, bool Fails, Func<double, int> ProgressAt)
{
    public string StatusAt(double t) => t < StartsAt ? "queued" : t < EndsAt ? "in_progress" : Fails ? "failed" : "completed";

    public int Progress(double t) => t < StartsAt ? 0 : t >= EndsAt ? (Fails ? ProgressAt(0.99) : 100) : ProgressAt((t - StartsAt) / (EndsAt - StartsAt));
}

/// <summary>Workloads of the shapes adaptive polling must handle, reproducible from a seed.</summary>
internal static class SimulatedVideoWorkload
{
    /// <summary>Generations as they look in practice: two kinds of video of a few minutes, all in flight together, progress drifting around the time elapsed.</summary>
    public static List<SyntheticVideo> Realistic(int count, int seed) => Build(count, seed, (random, _) => ProgressCurve.Drifting(random.Next()).At);

    /// <summary>Progress that misleads: plateaus and jumps to values unrelated to the time elapsed.</summary>
    public static List<SyntheticVideo> Misleading(int count, int seed) => Build(count, seed, (random, _) => ProgressCurve.Uneven(random.Next()).At);

    /// <summary>Steady progress, stalls followed by jumps, sudden jumps to 100 from low progress, and early failures, mixed.</summary>
    public static List<SyntheticVideo> Mixed(int count, int seed) => Build(count, seed, (random, index) => (index % 4) switch
    {
        0 => ProgressCurve.Linear.At,
        1 => f => f < 0.7 ? (int)(f * 40) : 28 + (int)((f - 0.7) * 230),  // stalls, then catches up
        2 => f => Math.Min(15, (int)(f * 30)),                          // sits low, then jumps to 100
        _ => ProgressCurve.Uneven(random.Next()).At,
    }, earlyFailures: true);

    /// <summary>
    /// <paramref name="lanes"/> videos in flight at all times for about ten minutes: each lane starts a new video a
    /// few seconds after its previous one ends. A third are longer (sora-2-pro, 12 s); durations vary ±20 % per kind.
    /// </summary>
    private static List<SyntheticVideo> Build(int lanes, int seed, Func<Random, int, Func<double, int>> curve, bool earlyFailures = false)
    {
#pragma warning disable CA5394 // A reproducible workload, not a secret.
        var random = new Random(seed);
        var videos = new List<SyntheticVideo>();
        for (var lane = 0; lane < lanes; lane++)
        {
            for (var created = random.NextDouble() * 20; created < 600;)
            {
                var index = videos.Count;
                var pro = random.NextDouble() < 1.0 / 3;
                var total = (pro ? 240 : 120) * (0.8 + (random.NextDouble() * 0.4));
                var queued = 5 + (random.NextDouble() * 15);
                var fails = earlyFailures && index % 10 == 9;
                var ends = created + (fails ? queued + ((total - queued) * 0.3) : total);
                videos.Add(new SyntheticVideo(pro ? "sora-2-pro" : "sora-2", pro ? "12" : "8", created, created + queued, ends, fails, curve(random, index)));
                created = ends + (random.NextDouble() * 5);
            }
        }
#pragma warning restore CA5394

        return videos;
    }
}
