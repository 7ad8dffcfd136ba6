using System.Diagnostics;
using System.Globalization;
using Poe.WebhookBridge.ReliabilityTests.Support;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.ReliabilityTests.Endurance;

/// <summary>
/// Three instances on one database under a steady mixed load (<see cref="SoakLoad"/>) for <c>BRIDGE_SOAK_MINUTES</c>
/// (3 by default, the CI run; <c>scripts/soak.sh</c> runs 30): after the warm-up, every resource and row count stays
/// flat as <see cref="SoakFigures"/> defines it, every confirmed watch's webhook reaches its consumer or is dead by
/// the retry policy, and no webhook arrives twice unless its consumer answered after the bridge gave up.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class SoakTests(ITestOutputHelper output)
{
    private const int Instances = 3;
    // Rows follow a saw-tooth of one purge period (Retention:Schedule, 15 s), so a window's mean is their average only
    // when it samples each tooth densely: a few points a tooth, drifting along it as each sample takes time, move the
    // mean by a tenth with no change in the rows.
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan Duration = TimeSpan.FromMinutes(
        int.TryParse(Environment.GetEnvironmentVariable("BRIDGE_SOAK_MINUTES"), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) && minutes >= 3 ? minutes : 3);

    // Longer than the life of the longest-lived rows, so every table has reached its steady state: a watch whose consumer
    // hangs lives ~60 s (3 s of video, 8 attempts of 2 s time-out + 1 s retry, Retention:Period 15 s, a purge every 15 s),
    // plus a margin for a loaded machine; a tenth of a longer run.
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(Math.Clamp(Duration.TotalSeconds / 10, 75, 180));

    [Fact]
    public async Task Three_instances_under_a_steady_mixed_load_stay_flat_and_lose_nothing()
    {
        await using var cluster = await BridgeCluster.StartAsync(
            "soak",
            Instances,
            simulator: o => (o.DefaultQueuedTime, o.DefaultRunningTime) = (TimeSpan.Zero, TimeSpan.FromSeconds(3)),
            configure: s =>
            {
                // Short, so ended watches, events and attempts reach their steady state within the warm-up.
                s["Retention:Period"] = "00:00:15";
                s["Retention:Schedule"] = "*/15 * * * * *";
            });
        await using var consumers = await SoakConsumers.StartAsync();
        var attemptsUntilDead = cluster.Settings.Keys.Count(k => k.StartsWith("Webhooks:RetrySchedule:", StringComparison.Ordinal)) + 1;

        var clock = Stopwatch.StartNew();
        var load = SoakLoad.Start(cluster, consumers);
        var samples = new List<(ResourceSample Sample, int Sent)>();
        using var sampling = new PeriodicTimer(SampleEvery);
        while (clock.Elapsed < Duration)
        {
            samples.Add((await ResourceSample.TakeAsync(cluster, clock.Elapsed), load.Sent));
            await sampling.WaitForNextTickAsync();
        }

        var watches = await load.StopAsync();
        await Settled.WaitAsync(cluster, TimeSpan.FromMinutes(2), deadEnds: true);

        var start = samples.Where(s => s.Sample.At >= WarmUp && s.Sample.At < WarmUp + Window).ToList();
        var end = samples.Where(s => s.Sample.At >= Duration - Window).ToList();
        var figures = SoakFigures.Compare([.. start.Select(s => s.Sample)], [.. end.Select(s => s.Sample)], end[^1].Sent - start[0].Sent);
        var accounts = SoakAccounts.Settle(watches, consumers, attemptsUntilDead);

        var notFlat = figures.Where(f => !f.Flat).ToList();
        var table = SoakFigures.Table(figures);
        output.WriteLine(table);
        var tableFile = Path.Combine(Summary.RepositoryRoot(), "TestResults", "soak", "latest.md");
        Directory.CreateDirectory(Path.GetDirectoryName(tableFile)!);
        await File.WriteAllTextAsync(tableFile, $"Soak: {Instances} instances, {Duration.TotalMinutes:0} min, warm-up {WarmUp.TotalSeconds:0} s, window {Window.TotalSeconds:0} s, {Environment.ProcessorCount} cores, load average {LoadAverage()}\n\n{table}\n{Series(samples.Select(s => s.Sample), figures.Skip(4))}\n");
        Summary.Report(output,
            $"soak: instances={Instances} minutes={Duration.TotalMinutes:0} warm-up={WarmUp.TotalSeconds:0}s registrations={watches.Count} ({1 / SoakLoad.Interval.TotalSeconds:0.0}/s; {accounts.Mix}) " +
            $"unconfirmed={accounts.Unconfirmed} gateway outcome unknown (504)={accounts.OutcomeUnknown} lost={accounts.Lost.Count} dead by policy={accounts.Dead} duplicates={accounts.Duplicates} (unexplained {accounts.Unexplained.Count}) " +
            $"{string.Join(" ", figures.Take(4).Select(f => $"{f.Name}={f.Start:0}->{f.End:0} (x{f.Growth:0.00})"))} " +
            $"rows flat={figures.Count(f => f.Flat) - 4}/{figures.Count - 4} ({string.Join(", ", figures.Skip(4).Where(f => f.Name is "bridge.watches" or "bridge.webhook_events" or "bridge.delivery_attempts" or "hangfire.job" or "hangfire.counter").Select(f => $"{f.Name} {f.Start:0}->{f.End:0}"))}) " +
            $"not flat: {(notFlat.Count == 0 ? "none" : string.Join(", ", notFlat.Select(f => $"{f.Name} x{f.Growth:0.00}")))}; load average {LoadAverage()}");

        Assert.True(accounts.Unconfirmed == "0", "Registrations the bridge did not confirm: " + accounts.Unconfirmed);
        Assert.True(accounts.Lost.Count == 0, "Lost: " + string.Join(", ", accounts.Lost.Take(20)));
        Assert.True(accounts.Unexplained.Count == 0, "Unexplained duplicates: " + string.Join(", ", accounts.Unexplained.Take(20)));
        Assert.True(notFlat.Count == 0, "Not flat after the warm-up:\n" + table + Series(samples.Select(s => s.Sample), notFlat));
    }

    /// <summary>Every sample of each table's rows, so a figure that is not flat shows a trend apart from noise.</summary>
    private static string Series(IEnumerable<ResourceSample> samples, IEnumerable<SoakFigure> notFlat) =>
        string.Join('\n', notFlat.Where(f => !f.Name.EndsWith(" per job", StringComparison.Ordinal)).Select(f => $"{f.Name}: " + string.Join(' ', samples.Select(s =>
            $"{s.At.TotalSeconds:0}s={(s.Rows.TryGetValue(f.Name, out var rows) ? rows.ToString(CultureInfo.InvariantCulture) : "-")}"))));

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
