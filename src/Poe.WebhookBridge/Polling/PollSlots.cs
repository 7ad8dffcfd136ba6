namespace Poe.WebhookBridge.Polling;

/// <summary>
/// The runner's room for polls in flight (<see cref="PollRunner.MaxInFlight"/>), shared by the claims that fill it:
/// a claim reserves the free slots before it runs and gives back the ones it did not fill, so claims running side by
/// side never count the same room twice; each poll frees its slot when it is done.
/// </summary>
public sealed class PollSlots(int capacity, TimeProvider time)
{
    private int _taken;

    // The claim loops waiting for room share one waiter, and all wait for the same room.
    private TaskCompletionSource? _roomWaiter;
    private int _roomWanted = int.MaxValue;

    public int Free => capacity - Volatile.Read(ref _taken);

    /// <summary>Takes every free slot when at least <paramref name="least"/> are free; 0, taking none, otherwise.</summary>
    public int Reserve(int least)
    {
        while (true)
        {
            var taken = Volatile.Read(ref _taken);
            var free = capacity - taken;
            if (free < Math.Max(least, 1))
            {
                return 0;
            }

            if (Interlocked.CompareExchange(ref _taken, capacity, taken) == taken)
            {
                return free;
            }
        }
    }

    /// <summary>Gives back <paramref name="slots"/>: a poll's when it is done, or the ones a claim did not fill.</summary>
    public void Release(int slots)
    {
        if (slots > 0 && capacity - Interlocked.Add(ref _taken, -slots) >= Volatile.Read(ref _roomWanted))
        {
            Interlocked.Exchange(ref _roomWaiter, null)?.TrySetResult();
        }
    }

    /// <summary>
    /// Waits until at least <paramref name="room"/> slots are free, or <paramref name="timeout"/> passes. Polls answer in
    /// milliseconds, so a loop that slept a fixed while instead would leave the runner empty for most of the sleep.
    /// </summary>
    public async Task WaitForRoomAsync(int room, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _roomWanted, room);
        var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // A full fence: room is read only after the waiter is visible, so a slot freed meanwhile either finds the waiter
        // or is counted in the room read here. A waiter left by a loop that stopped waiting is still uncompleted (the
        // release that completes one also removes it), so it serves the next loop.
        var waiter = Interlocked.CompareExchange(ref _roomWaiter, fresh, null) ?? fresh;
        try
        {
            if (Free < room && timeout > TimeSpan.Zero)
            {
                await waiter.Task.WaitAsync(timeout, time, cancellationToken);
            }
        }
        catch (TimeoutException)
        {
        }
    }
}
