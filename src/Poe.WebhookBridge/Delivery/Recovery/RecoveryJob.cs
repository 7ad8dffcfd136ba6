using Hangfire;

namespace Poe.WebhookBridge.Delivery.Recovery;

/// <summary>
/// Works one recovery through, a batch at a time: each batch is handed back to delivery (whose per-host cap paces its
/// attempts) and the next waits until it has drained, so a recovery never piles more than a batch on a host's outbox.
/// A crashed run is retried by Hangfire and resumes at the recovery's cursor.
/// </summary>
[Queue("default")]
[AutomaticRetry(Attempts = 3)]
public sealed class RecoveryJob(RecoverySql recoveries, DeliveryDispatcher dispatcher, TimeProvider time)
{
    public const int BatchSize = 100;

    private static readonly TimeSpan DrainCheck = TimeSpan.FromMilliseconds(200);

    /// <summary>A batch stuck longer than this (consumers slower than their time-outs) no longer holds the next one back.</summary>
    private static readonly TimeSpan MaxDrainWait = TimeSpan.FromMinutes(10);

    public static string Enqueue(IBackgroundJobClient jobs, string recoveryId) =>
        jobs.Enqueue<RecoveryJob>(job => job.RunAsync(recoveryId, CancellationToken.None));

    public async Task RunAsync(string recoveryId, CancellationToken cancellationToken)
    {
        while (await recoveries.RequeueNextAsync(recoveryId, BatchSize, time.GetUtcNow(), cancellationToken) is { Count: > 0 } batch)
        {
            dispatcher.Wake();
            await DrainAsync(batch, cancellationToken);
        }

        await recoveries.CompleteAsync(recoveryId, time.GetUtcNow(), cancellationToken);
    }

    private async Task DrainAsync(List<string> batch, CancellationToken cancellationToken)
    {
        var giveUpAt = time.GetUtcNow() + MaxDrainWait;
        while (await recoveries.CountPendingAsync(batch, cancellationToken) > 0 && time.GetUtcNow() < giveUpAt)
        {
            await Task.Delay(DrainCheck, time, cancellationToken);
        }
    }
}
