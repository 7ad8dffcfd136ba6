using System.Globalization;
using Poe.WebhookBridge.ReliabilityTests.Support;

namespace Poe.WebhookBridge.ReliabilityTests.Endurance;

/// <summary>One bridge process's resources at one moment, as the operating system and PostgreSQL see them.</summary>
public sealed record ProcessResources(double RssMb, int Threads, int OpenFiles, int Connections);

/// <summary>
/// Every figure a soak compares, at one moment: per instance its RSS, threads, open file descriptors (<c>/proc</c>) and
/// its connections in <c>pg_stat_activity</c> (by the instance's application name); the row count of every table of
/// the <c>bridge</c> and <c>hangfire</c> schemas; and the finished Hangfire jobs kept past their expiration.
/// </summary>
public sealed record ResourceSample(TimeSpan At, IReadOnlyList<ProcessResources> Instances, IReadOnlyDictionary<string, long> Rows, long OverdueJobs)
{
    /// <summary>How often Hangfire deletes expired jobs (<c>JobExpirationCheckInterval</c>), with a margin for a loaded machine.</summary>
    public static readonly TimeSpan ExpirationLag = TimeSpan.FromMinutes(2);

    public static async Task<ResourceSample> TakeAsync(BridgeCluster cluster, TimeSpan at)
    {
        var connections = (await cluster.QueryAsync(
            "SELECT application_name, count(*) FROM pg_stat_activity WHERE datname = current_database() GROUP BY application_name",
            r => (Name: r.GetString(0), Count: r.GetInt64(1)))).ToDictionary(c => c.Name, c => (int)c.Count);
        var instances = Enumerable.Range(0, cluster.Size).Select(i =>
        {
            var pid = cluster.Instance(i).ProcessId;
            var status = File.ReadAllLines($"/proc/{pid}/status");
            return new ProcessResources(
                StatusField(status, "VmRSS:") / 1024.0,
                (int)StatusField(status, "Threads:"),
                Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length,
                connections.GetValueOrDefault(BridgeCluster.ApplicationName(i)));
        }).ToList();

        var tables = await cluster.QueryAsync(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_schema IN ('bridge', 'hangfire') AND table_type = 'BASE TABLE' ORDER BY 1",
            r => r.GetString(0));
        var counts = string.Join(" UNION ALL ", tables.Select(t => $"SELECT '{t}', count(*) FROM {t}"));
        var rows = (await cluster.QueryAsync(counts, r => (Table: r.GetString(0), Count: r.GetInt64(1)))).ToDictionary(r => r.Table, r => r.Count);
        var overdue = await cluster.QueryAsync(
            $"SELECT count(*) FROM hangfire.job WHERE expireat < now() - interval '{ExpirationLag.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds'",
            r => r.GetInt64(0));
        return new ResourceSample(at, instances, rows, overdue[0]);
    }

    private static long StatusField(string[] status, string name) =>
        long.Parse(status.Single(l => l.StartsWith(name, StringComparison.Ordinal))[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
}
