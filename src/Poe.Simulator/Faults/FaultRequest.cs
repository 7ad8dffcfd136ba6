namespace Poe.Simulator.Faults;

/// <summary>A fault as written in a create request, e.g. <c>{"kind":"status","status":500}</c>.</summary>
public sealed record FaultRequest(string? Kind, int? Status, string? RetryAfter, int? Ms)
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(10);

    public bool TryParse(out Fault fault, out string error)
    {
        error = "";
        fault = Kind switch
        {
            "status" when Status is >= 400 and <= 599 => Fault.HttpStatus(Status.Value),
            "garbage" => Fault.Garbage(),
            "truncated" => Fault.Truncated(),
            "unknown_status" => Fault.UnknownStatus(),
            "rate_limit" => Fault.RateLimit(RetryAfter),
            "bare_rate_limit" => Fault.BareRateLimit(),
            "delay" when Ms >= 0 && TimeSpan.FromMilliseconds(Ms.Value) <= MaxDelay => Fault.Delay(TimeSpan.FromMilliseconds(Ms.Value)),
            "slow_drip" when Ms >= 0 && TimeSpan.FromMilliseconds(Ms.Value) <= MaxDelay => Fault.SlowDrip(TimeSpan.FromMilliseconds(Ms.Value)),
            "reset" => Fault.Reset(),
            "not_found" => Fault.NotFound(),
            _ => null!,
        };
        if (fault is not null)
            return true;

        error = Kind switch
        {
            "status" => "A status fault needs \"status\" between 400 and 599.",
            "delay" or "slow_drip" => $"A {Kind} fault needs \"ms\" between 0 and 600000.",
            _ => $"Unknown fault kind '{Kind}'. Use status, garbage, truncated, unknown_status, rate_limit, bare_rate_limit, delay, slow_drip, reset or not_found.",
        };
        return false;
    }
}
