using Hangfire.Logging;

namespace Poe.WebhookBridge.Infrastructure.Hangfire;

/// <summary>
/// Hangfire's log provider is process-wide: when the host whose logger factory it wraps is disposed while another
/// host of the same process still runs (tests), asking it for a logger must not fail that host's Hangfire workers.
/// </summary>
internal sealed class DisposalTolerantLogProvider(ILogProvider inner) : ILogProvider
{
    public ILog GetLogger(string name)
    {
        try
        {
            return inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(global::Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
