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

    /// <summary>
    /// Claims running side by side: a claim spends most of its time waiting on the database's answers, so one loop
    /// alone leaves the runner waiting for claims. Their keys do not overlap (the key probe skips keys another claim holds).
    /// </summary>
    public const int ClaimLoops = 2;

    // The fewest free runner slots worth a claim: a claim's round trips cost the same for 1 poll as for 256, so
    // claiming each slot as it frees up would spend the database on claims instead of polls.
    private const int MinClaim = PollRunner.MaxInFlight / 4;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow() + Span;
        if (await expiry.RunAsync(cancellationToken))
        {
            delivery.Wake();
        }

        // The planner re-reads its inputs beside the claims, not before them: the claims need not wait for it. It is
        // awaited whatever the claims do, so a claim that throws neither leaves it running unobserved nor hides its error.
        var refresh = planner.RefreshAsync(cancellationToken);
        try
        {
            // A firing that starts while the last one's claim still runs (a claim slower than a second) waits for its
            // turn, then claims for what is left of its own second: a firing may outlive its second, so firings overlap.
            var wait = until - time.GetUtcNow();
            if (await runner.ClaimTurn.WaitAsync(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, cancellationToken))
            {
                try
                {
                    await Task.WhenAll(Enumerable.Range(0, ClaimLoops).Select(_ => ClaimUntilAsync(until, cancellationToken)));
                }
                finally
                {
                    runner.ClaimTurn.Release();
                }
            }
        }
        finally
        {
            await refresh;
        }
    }

    private async Task ClaimUntilAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        while (time.GetUtcNow() < until && !cancellationToken.IsCancellationRequested)
        {
            // Each claim asks for all the runner has room for: a claim's few round trips and key locks cost the same for
            // one poll or many, so the fewer claims a second, the more of the database's time goes to polls.
            var room = runner.Slots.Reserve(MinClaim);
            if (room == 0)
            {
                await runner.Slots.WaitForRoomAsync(MinClaim, Min(IdleWait, until - time.GetUtcNow()), cancellationToken);
                continue;
            }

            PollClaim claim;
            try
            {
                claim = await ClaimAsync(room, cancellationToken);
            }
            catch
            {
                runner.Slots.Release(room);
                throw;
            }

            foreach (var poll in claim.Polls)
            {
                runner.Start(poll);
            }

            runner.Slots.Release(room - claim.Polls.Count);
            // Less than asked for: nothing else is due, or the keys' pace admits no more yet; look again shortly. Unless the
            // claim left keys it did not serve and took some: then the next claim serves them at once.
            if (claim.Polls.Count < room && !(claim.KeysLeft && claim.Polls.Count > 0))
            {
                await Task.Delay(IdleWait, time, cancellationToken);
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private async Task<PollClaim> ClaimAsync(int room, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var claimed = await claimer.ClaimAsync(room, cancellationToken);
        metrics.PollClaim(time.GetElapsedTime(started));
        return claimed;
    }
}
