using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Poe.WebhookBridge.Bench.Scenarios;

/// <summary>What scenarios 2 and 8 read from outside the bridge: CPU time from /proc, a histogram and a counter from /metrics, running vacuums.</summary>
public static partial class ScaleProbes
{
    // USER_HZ: the unit of utime and stime in /proc/<pid>/stat on Linux.
    private const double TicksPerSecond = 100;

    /// <summary>CPU time (user + system) of each PostgreSQL backend connected to the database, by process id.</summary>
    public static async Task<Dictionary<int, TimeSpan>> BackendCpuAsync(string adminConnectionString, string database)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE datname = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        var pids = new List<int>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                pids.Add(reader.GetInt32(0));
            }
        }

        var cpu = new Dictionary<int, TimeSpan>();
        foreach (var pid in pids)
        {
            if (ProcessCpu(pid) is { } time)
            {
                cpu[pid] = time;
            }
        }

        return cpu;
    }

    /// <summary>
    /// Seconds of <paramref name="span"/> during which a vacuum (autovacuum's or not) ran in the database, sampled twice
    /// a second from <c>pg_stat_progress_vacuum</c>: at a million rows one visit of a table costs seconds of CPU, so
    /// whether one falls in a window is what moves its figures.
    /// </summary>
    public static async Task<double> VacuumSecondsAsync(string adminConnectionString, string database, TimeSpan span)
    {
        var every = TimeSpan.FromMilliseconds(500);
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_progress_vacuum WHERE datname = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        var (until, running) = (DateTimeOffset.UtcNow + span, 0);
        while (DateTimeOffset.UtcNow < until)
        {
            running += (long)(await command.ExecuteScalarAsync())! > 0 ? 1 : 0;
            await Task.Delay(every);
        }

        return running * every.TotalSeconds;
    }

    /// <summary>
    /// CPU the backends spent between two readings: a backend that started in between counts whole, one that ended in
    /// between is lost (the bridge keeps its pooled connections, so few do).
    /// </summary>
    public static TimeSpan Spent(Dictionary<int, TimeSpan> before, Dictionary<int, TimeSpan> after) =>
        after.Aggregate(TimeSpan.Zero, (sum, b) => sum + b.Value - before.GetValueOrDefault(b.Key));

    private static TimeSpan? ProcessCpu(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which may hold spaces): state is the 3rd field, utime the 14th, stime the 15th.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The cumulative bucket counts of an unlabelled Prometheus histogram, by upper bound.</summary>
    public static async Task<SortedDictionary<double, double>> HistogramAsync(HttpClient http, Uri bridge, string name)
    {
        var text = await http.GetStringAsync(new Uri(bridge, "/metrics"));
        var buckets = new SortedDictionary<double, double>();
        foreach (Match m in BucketLine().Matches(text))
        {
            if (m.Groups["name"].Value != name)
            {
                continue;
            }

            var le = m.Groups["le"].Value == "+Inf" ? double.PositiveInfinity : double.Parse(m.Groups["le"].Value, CultureInfo.InvariantCulture);
            buckets[le] = double.Parse(m.Groups["count"].Value, CultureInfo.InvariantCulture);
        }

        return buckets;
    }

    /// <summary>The value of an unlabelled Prometheus counter; 0 before its first increment (the exporter omits it until then).</summary>
    public static async Task<double> CounterAsync(HttpClient http, Uri bridge, string name)
    {
        var text = await http.GetStringAsync(new Uri(bridge, "/metrics"));
        return CounterLine().Matches(text).FirstOrDefault(m => m.Groups["name"].Value == name) is { } line
            ? double.Parse(line.Groups["value"].Value, CultureInfo.InvariantCulture)
            : 0;
    }

    /// <summary>
    /// The quantile of the observations made between two scrapes, interpolated linearly inside its bucket as
    /// Prometheus's histogram_quantile does (so it is only as fine as the buckets); NaN without observations.
    /// </summary>
    public static double Quantile(SortedDictionary<double, double> before, SortedDictionary<double, double> after, double q)
    {
        var counts = after.Select(b => (Le: b.Key, Count: b.Value - before.GetValueOrDefault(b.Key))).ToList();
        var total = counts.Count == 0 ? 0 : counts[^1].Count;
        if (total <= 0)
        {
            return double.NaN;
        }

        var rank = q * total;
        var (lower, below) = (0.0, 0.0);
        foreach (var (le, count) in counts)
        {
            if (count >= rank)
            {
                return double.IsPositiveInfinity(le) ? lower : lower + ((le - lower) * (rank - below) / Math.Max(count - below, 1e-9));
            }

            (lower, below) = (le, count);
        }

        return lower;
    }

    public static double Count(SortedDictionary<double, double> before, SortedDictionary<double, double> after) =>
        after.Count == 0 ? 0 : after.Last().Value - before.GetValueOrDefault(after.Last().Key);

    [GeneratedRegex("""^(?<name>[a-z_]+)_bucket\{(?:[^}]*,)?le="(?<le>[^"]+)"[^}]*\} (?<count>[0-9.e+]+)""", RegexOptions.Multiline)]
    private static partial Regex BucketLine();

    [GeneratedRegex("""^(?<name>[a-z_]+)(?:\{[^}]*\})? (?<value>[0-9.e+]+)""", RegexOptions.Multiline)]
    private static partial Regex CounterLine();
}
