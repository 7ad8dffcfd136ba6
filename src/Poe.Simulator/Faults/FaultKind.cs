namespace Poe.Simulator.Faults;

public enum FaultKind
{
    Status,
    Garbage,
    Truncated,
    UnknownStatus,
    RateLimit,
    Delay,
    Reset,
    NotFound,
    SlowDrip,

    /// <summary>A 429 with neither Retry-After nor x-ratelimit-* headers: the client must pick its own pause.</summary>
    BareRateLimit,
}
