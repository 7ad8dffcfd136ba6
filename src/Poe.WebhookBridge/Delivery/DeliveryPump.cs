using System.Diagnostics;
using Npgsql;

namespace Poe.WebhookBridge.Delivery;

/// <summary>
/// Claims due events and hands each to <see cref="InFlightDeliveries"/> without waiting for it. Between claims it
/// sleeps on the dispatcher, which a stored event, a redelivery or a freed slot cuts short.
/// </summary>
/// <remarks>
/// Firings relay one another: each pumps for its window, then hands over as soon as a newer firing is waiting. With
/// no newer firing (Hangfire late under load) it carries on, up to <see cref="MaxLife"/>, so a late firing leaves no
/// gap in which a stored event would wait. One worker pumps at a time in a process.
/// MaxLife only bounds how long one job runs when firings have stopped altogether, within what Hangfire's sliding
/// invisibility timeout keeps alive: it is long, because a pump that ends while firings are late leaves stored events
/// waiting for the next firing, however long Hangfire takes to start it on a loaded machine.
/// </remarks>
public sealed class DeliveryPump(OutboxClaims claims, InFlightDeliveries inFlight, DeliveryDispatcher dispatcher, ILogger<DeliveryPump> logger) : IDisposable
{
    /// <summary>How long the pump sleeps when nothing is due: the worst delay before an event due by the clock is attempted.</summary>
    public static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(100);

    public static readonly TimeSpan MaxLife = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan HandoverWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ErrorPause = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    // Firings waiting to take over. Only a firing still waiting counts: one that gave up must not make the running
    // pump hand over to nobody, which would leave stored events waiting for Hangfire's next firing, however late.
    private int _waiting;

    public async Task PumpAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        bool acquired;
        Interlocked.Increment(ref _waiting);
        try
        {
            acquired = await _oneAtATime.WaitAsync(HandoverWait, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }

        if (!acquired)
        {
            return;
        }

        try
        {
            var started = Stopwatch.GetTimestamp();
            while (inFlight.IsAccepting && KeepPumping(Stopwatch.GetElapsedTime(started), window))
            {
                if (!await ClaimAndStartAsync(cancellationToken))
                {
                    await dispatcher.WaitAsync(IdleWait, cancellationToken);
                }
            }
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public void Dispose() => _oneAtATime.Dispose();

    private bool KeepPumping(TimeSpan elapsed, TimeSpan window) =>
        elapsed < MaxLife && (elapsed < window || Volatile.Read(ref _waiting) == 0);

    /// <returns>
    /// Whether the claim filled all it asked for, so more may be due; otherwise the pump waits for news (a stored
    /// event, freed slots) rather than claim again for each slot as it frees.
    /// </returns>
    private async Task<bool> ClaimAndStartAsync(CancellationToken cancellationToken)
    {
        var capacity = inFlight.Capacity();
        IReadOnlyList<ClaimedEvent> claimed;
        try
        {
            claimed = await claims.ClaimAsync(capacity, cancellationToken);
        }
        catch (NpgsqlException ex) when (!cancellationToken.IsCancellationRequested)
        {
            DeliveryLog.ClaimFailed(logger, ex);
            await Task.Delay(ErrorPause, cancellationToken);
            return false;
        }

        foreach (var webhook in claimed)
        {
            inFlight.Start(webhook);
        }

        return claimed.Count > 0 && claimed.Count == OutboxClaims.Take(capacity);
    }
}
