using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;

namespace Poe.WebhookBridge.Infrastructure.Hangfire;

/// <summary>
/// A once-a-second tick leaves 86,400 finished jobs a day; keeping them minutes instead of Hangfire's default day
/// keeps the job table and the dashboard small.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class ShortLivedJobAttribute : JobFilterAttribute, IApplyStateFilter
{
    public static readonly TimeSpan Expiration = TimeSpan.FromMinutes(10);

    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction) =>
        context.JobExpirationTimeout = Expiration;

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }
}
