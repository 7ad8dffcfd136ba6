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

    private static readonly TimeSpan Span = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(50);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow() + Span;
        if (await expiry.RunAsync(cancellationToken))
        {
            delivery.Wake();
        }

        // The planner re-reads its inputs beside the claims, not before them: the claims need not wait for it.
        var refresh = planner.RefreshAsync(cancellationToken);
        while (time.GetUtcNow() < until && !cancellationToken.IsCancellationRequested)
        {
            // Each claim asks for all the runner has room for: a claim's few round trips and key locks cost the same for
            // one poll or many, so the fewer claims a second, the more of the database's time goes to polls.
            var room = runner.FreeSlots;
            var claimed = room > 0 ? await ClaimAsync(room, cancellationToken) : [];
            foreach (var poll in claimed)
            {
                runner.Start(poll);
            }

            // Less than asked for: nothing else is due (or the runner is full); look again shortly.
            if (room == 0 || claimed.Count < room)
            {
                await Task.Delay(IdleWait, time, cancellationToken);
            }
        }

        await refresh;
    }

    private async Task<IReadOnlyList<ClaimedPoll>> ClaimAsync(int room, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var claimed = await claimer.ClaimAsync(room, cancellationToken);
        metrics.PollClaim(time.GetElapsedTime(started));
        return claimed;
    }
}
