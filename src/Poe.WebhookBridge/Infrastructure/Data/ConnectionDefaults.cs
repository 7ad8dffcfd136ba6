using System.Data.Common;
using Npgsql;

namespace Poe.WebhookBridge.Infrastructure.Data;

/// <summary>
/// Time-outs and keep-alives for every PostgreSQL connection (EF Core, raw Npgsql and Hangfire's storage share one data
/// source), applied unless the connection string sets them. A partition that drops packets without a reset sends no
/// error at all: without a bound, a query waits for an answer forever and holds its request, its pool slot and, in
/// Hangfire's synchronous calls, a thread. With these, a request that needs the database gets its connection within
/// <see cref="Timeout"/> (pool wait or connect), its statement's answer within <see cref="CommandTimeout"/>, and when that
/// runs out Npgsql's cancellation request (a connection of its own, bounded by <see cref="Timeout"/>) and no further
/// wait: at most <see cref="RequestBound"/>, then 503.
/// </summary>
internal static class ConnectionDefaults
{
    /// <summary>Seconds to open a connection, or to wait for a free one in the pool.</summary>
    public const int Timeout = 5;

    /// <summary>
    /// Seconds a statement may run: the slowest routine statement (a claim, a retention batch of 1,000 rows) takes
    /// milliseconds. Schema preparation at start-up takes longer and sets its own.
    /// </summary>
    public const int CommandTimeout = 5;

    /// <summary>
    /// After a statement times out Npgsql asks PostgreSQL to cancel it; -1 drops the connection at once instead of also
    /// waiting for the answer, which a partition never sends.
    /// </summary>
    public const int CancellationTimeout = -1;

    /// <summary>The longest a request that needs the database takes to answer 503 when it does not answer: its waits, and a second for the rest of the request.</summary>
    public static readonly TimeSpan RequestBound = TimeSpan.FromSeconds(Timeout + CommandTimeout + Timeout + 1);

    /// <summary>Start-up's migrations and advisory lock (another instance may hold it while it migrates) take longer.</summary>
    public static readonly TimeSpan SchemaCommandTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Seconds of idleness before Npgsql checks a pooled connection with a round trip: a connection cut by a partition is
    /// found and dropped while idle, so it is not handed to a request after the network is back.
    /// </summary>
    public const int Keepalive = 5;

    /// <summary>Kernel TCP keep-alive (seconds idle, then seconds between probes): finds a peer that vanished without a reset.</summary>
    public const int TcpKeepaliveTime = 10;

    public const int TcpKeepaliveInterval = 2;

    public static string Apply(string connectionString)
    {
        // What the operator wrote, spelled any way Npgsql accepts ("Command Timeout", "CommandTimeout", any case).
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains("Timeout"))
        {
            builder.Timeout = Timeout;
        }

        if (!given.Contains("CommandTimeout"))
        {
            builder.CommandTimeout = CommandTimeout;
        }

        if (!given.Contains("CancellationTimeout"))
        {
            builder.CancellationTimeout = CancellationTimeout;
        }

        if (!given.Contains("Keepalive"))
        {
            builder.KeepAlive = Keepalive;
        }

        if (!given.Contains("TcpKeepalive") && !given.Contains("TcpKeepaliveTime"))
        {
            builder.TcpKeepAlive = true;
            builder.TcpKeepAliveTime = TcpKeepaliveTime;
            builder.TcpKeepAliveInterval = TcpKeepaliveInterval;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// Npgsql sends a timed-out statement's cancellation request synchronously, holding a thread-pool thread for up to
    /// <see cref="Timeout"/>, and Hangfire's storage calls are synchronous too. When a partition times out every pooled
    /// connection at once, the pool must have a thread for each at hand: the runtime adds threads beyond its minimum only
    /// about twice a second, and /health/live and every other request would queue behind the blocked ones.
    /// </summary>
    public static void ReserveThreads(int maxPoolSize)
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, maxPoolSize + (8 * Environment.ProcessorCount)), completionPorts);
    }
}
