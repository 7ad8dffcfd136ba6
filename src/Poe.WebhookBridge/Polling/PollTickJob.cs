using Hangfire;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Infrastructure.Hangfire;
using Poe.WebhookBridge.Operations;

namespace Poe.WebhookBridge.Polling;

/// <summary>
/// The once-a-second recurring job that polls every due video. Each firing keeps claiming for about a second, so
/// consecutive firings cover the timeline and a video due between two firings is polled when due, not a second late.
/// </summary>
[Queue("polling")]
[AutomaticRetry(Attempts = 0)]
[ShortLivedJob]
public sealed class PollTickJob(PollClaimer claimer, PollRunner runner, PollPlanner planner, WatchExpiry expiry, DeliveryDispatcher delivery, BridgeMetrics metrics, TimeProvider time)
{
    public const string RecurringJobId = "bridge:poll-due-videos";

    private const int BatchSize = 100;
    private static readonly TimeSpan Span = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(50);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow() + Span;
        if (await expiry.RunAsync(cancellationToken))
        {
            delivery.Wake();
        }

        await planner.RefreshAsync(cancellationToken);

        while (time.GetUtcNow() < until && !cancellationToken.IsCancellationRequested)
        {
            var room = Math.Min(runner.FreeSlots, BatchSize);
            var claimed = room > 0 ? await ClaimAsync(room, cancellationToken) : [];
            foreach (var poll in claimed)
            {
                runner.Start(poll);
            }

            if (claimed.Count < BatchSize)
            {
                await Task.Delay(IdleWait, time, cancellationToken);
            }
        }
    }

    private async Task<IReadOnlyList<ClaimedPoll>> ClaimAsync(int room, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var claimed = await claimer.ClaimAsync(room, cancellationToken);
        metrics.PollClaim(time.GetElapsedTime(started));
        return claimed;
    }
}
