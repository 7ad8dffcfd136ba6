namespace Poe.Simulator.Faults;

/// <summary>One scripted misbehaviour, consumed by one poll of its video.</summary>
public sealed record Fault(FaultKind Kind)
{
    /// <summary>For <see cref="FaultKind.Status"/>: the HTTP status to answer with.</summary>
    public int StatusCode { get; init; }

    /// <summary>For <see cref="FaultKind.RateLimit"/>: the raw Retry-After value, or null to send none.</summary>
    public string? RetryAfter { get; init; }

    /// <summary>
    /// For <see cref="FaultKind.Delay"/>: how long to wait before answering normally; for <see cref="FaultKind.SlowDrip"/>:
    /// how long the video's body takes to trickle out after the headers.
    /// </summary>
    public TimeSpan Duration { get; init; }

    public static Fault HttpStatus(int statusCode) => new(FaultKind.Status) { StatusCode = statusCode };
    public static Fault Garbage() => new(FaultKind.Garbage);
    public static Fault Truncated() => new(FaultKind.Truncated);
    public static Fault UnknownStatus() => new(FaultKind.UnknownStatus);
    public static Fault RateLimit(string? retryAfter = null) => new(FaultKind.RateLimit) { RetryAfter = retryAfter };
    public static Fault Delay(TimeSpan duration) => new(FaultKind.Delay) { Duration = duration };
    public static Fault Reset() => new(FaultKind.Reset);
    public static Fault NotFound() => new(FaultKind.NotFound);
    public static Fault SlowDrip(TimeSpan duration) => new(FaultKind.SlowDrip) { Duration = duration };
    public static Fault BareRateLimit() => new(FaultKind.BareRateLimit);
}
