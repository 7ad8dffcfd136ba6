using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>
/// The runner's room as claims running side by side share it: no slot is reserved by two claims, so the polls in
/// flight never exceed the cap however many claim loops run.
/// </summary>
public sealed class PollSlotsTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_claim_reserves_all_the_free_room_and_a_claim_beside_it_gets_only_what_was_given_back()
    {
        var slots = new PollSlots(256, TimeProvider.System);

        var first = slots.Reserve(least: 64);
        var second = slots.Reserve(least: 64);
        slots.Release(100);
        var third = slots.Reserve(least: 64);

        Assert.Equal(256, first);
        Assert.Equal(0, second);
        Assert.Equal(100, third);
        Assert.Equal(0, slots.Free);
    }

    [Fact]
    public void Claims_reserving_at_once_from_many_threads_never_hold_more_than_the_cap()
    {
        var slots = new PollSlots(256, TimeProvider.System);
        var held = 0;
        var most = 0;

        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            var reserved = slots.Reserve(least: 1);
            var now = Interlocked.Add(ref held, reserved);
            InterlockedMax(ref most, now);
            Interlocked.Add(ref held, -reserved);
            slots.Release(reserved);
        });

        Assert.InRange(most, 1, 256);
        Assert.Equal(256, slots.Free);
    }

    [Fact]
    public async Task Every_loop_waiting_for_room_wakes_when_enough_is_freed_and_not_before()
    {
        var slots = new PollSlots(256, TimeProvider.System);
        slots.Reserve(least: 1);
        var waiters = new[] { slots.WaitForRoomAsync(64, Long, CancellationToken.None), slots.WaitForRoomAsync(64, Long, CancellationToken.None) };

        slots.Release(63);
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        Assert.DoesNotContain(waiters, w => w.IsCompleted);

        slots.Release(1);
        await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
        {
            current = seen;
        }
    }
}
