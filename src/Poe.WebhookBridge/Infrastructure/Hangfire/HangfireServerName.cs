using Hangfire;

namespace Poe.WebhookBridge.Infrastructure.Hangfire;

internal static class HangfireServerName
{
    /// <summary>Hangfire appends a unique suffix; this prefix lets the readiness check find this process's server.</summary>
    public static readonly string ForThisProcess = $"bridge-{Environment.MachineName}-{Environment.ProcessId}";
}
