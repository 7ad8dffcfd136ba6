using Poe.Simulator.Requests;

namespace Poe.Simulator.Tests.Requests;

public sealed class RequestWindowsTests
{
    [Fact]
    public void Each_window_ends_at_a_request_and_holds_what_came_less_than_its_length_before()
    {
        long[] times = [0, 30_000, 59_999, 60_000, 60_001, 130_000];

        Assert.Equal([1, 2, 3, 3, 4, 1], RequestWindows.Counts(times, TimeSpan.FromMinutes(1)));
        Assert.Equal(4, RequestWindows.Busiest(times.Reverse(), TimeSpan.FromMinutes(1)));
        Assert.Equal(0, RequestWindows.Busiest([], TimeSpan.FromMinutes(1)));
    }
}
