using System.Diagnostics;
using Npgsql;

namespace Poe.WebhookBridge.Delivery;

/// <summary>
/// Claims due events and hands each to <see cref="InFlightDeliveries"/> without waiting for it, for a bounded window.
/// Between claims it sleeps on the dispatcher, which a stored event, a redelivery or a freed slot cuts short.
/// </summary>
public sealed class DeliveryPump(OutboxClaims claims, InFlightDeliveries inFlight, DeliveryDispatcher dispatcher, ILogger<DeliveryPump> logger) : IDisposable
{
    /// <summary>How long the pump sleeps when nothing is due: the worst delay before a newly stored event is attempted.</summary>
    public static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan ErrorPause = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>Pumps until <paramref name="window"/> has passed; an overlapping tick waits for the running one, then carries on.</summary>
    public async Task PumpAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        TimeSpan Remaining() => TimeSpan.FromTicks(Math.Max(0, (window - Stopwatch.GetElapsedTime(started)).Ticks));

        if (!await _oneAtATime.WaitAsync(Remaining(), cancellationToken))
        {
            return;
        }

        try
        {
            while (inFlight.IsAccepting && Remaining() is var remaining && remaining > TimeSpan.Zero)
            {
                var startedNow = await ClaimAndStartAsync(cancellationToken);
                if (startedNow == 0)
                {
                    await dispatcher.WaitAsync(remaining < IdleWait ? remaining : IdleWait, cancellationToken);
                }
            }
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public void Dispose() => _oneAtATime.Dispose();

    private async Task<int> ClaimAndStartAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<ClaimedEvent> claimed;
        try
        {
            claimed = await claims.ClaimAsync(inFlight.Capacity(), cancellationToken);
        }
        catch (NpgsqlException ex) when (!cancellationToken.IsCancellationRequested)
        {
            DeliveryLog.ClaimFailed(logger, ex);
            await Task.Delay(ErrorPause, cancellationToken);
            return 0;
        }

        foreach (var webhook in claimed)
        {
            inFlight.Start(webhook);
        }

        return claimed.Count;
    }
}
