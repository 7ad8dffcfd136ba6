using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Poe.Simulator.RateLimiting;
using Poe.Simulator.Videos;

namespace Poe.Simulator.Faults;

/// <summary>Turns a scripted fault into the response Poe (or the network) would give.</summary>
internal sealed class FaultResponses(KeyRateLimiter limiter, IOptions<JsonOptions> json, TimeProvider time)
{
    public const string GarbageBody = "<html><body><h1>502 Bad Gateway</h1></body></html>";

    /// <summary>A slow drip sends the body this many bytes at a time, evenly over the fault's duration.</summary>
    public const int DripBytes = 16;

    /// <summary>
    /// What a scripted 429 without Retry-After gives as x-ratelimit-reset-requests. A scripted 429 claims a spent
    /// window that the simulator's own window does not hold, so its reset cannot come from that window: the oldest
    /// request there (up to 60 s away) says nothing about a spurious 429, and a client honouring it paused the key
    /// for up to a minute per fault.
    /// </summary>
    public static readonly TimeSpan ScriptedReset = TimeSpan.FromSeconds(1);

    /// <summary>The status code to log (0 when the connection is cut) and the result to return.</summary>
    public (int Status, IResult Result) Respond(Fault fault, HttpContext context, string key, RateLimitLease lease, VideoObject video)
    {
        switch (fault.Kind)
        {
            case FaultKind.Status:
                return (fault.StatusCode, PoeErrors.Status(fault.StatusCode));
            case FaultKind.NotFound:
                return (StatusCodes.Status404NotFound, PoeErrors.NotFound(video.Id));
            case FaultKind.Garbage:
                return (StatusCodes.Status200OK, Results.Text(GarbageBody, "application/json"));
            case FaultKind.Truncated:
                var full = JsonSerializer.Serialize(video, json.Value.SerializerOptions);
                return (StatusCodes.Status200OK, Results.Text(full[..(full.Length / 2)], "application/json"));
            case FaultKind.UnknownStatus:
                return (StatusCodes.Status200OK, TypedResults.Json(video with { Status = "exploding" }, contentType: "application/json"));
            case FaultKind.RateLimit:
                return (StatusCodes.Status429TooManyRequests, RateLimited(fault, context, key, lease));
            case FaultKind.BareRateLimit:
                limiter.Refund(key, lease);
                RateLimitHeaders.Remove(context.Response);
                return (StatusCodes.Status429TooManyRequests, PoeErrors.RateLimited());
            case FaultKind.Reset:
                context.Abort();
                return (0, Results.Empty);
            case FaultKind.SlowDrip:
                return (StatusCodes.Status200OK, Drip(JsonSerializer.SerializeToUtf8Bytes(video, json.Value.SerializerOptions), fault.Duration, context.RequestAborted));
            default:
                throw new InvalidOperationException($"Fault {fault.Kind} is not answered here.");
        }
    }

    // A scripted 429 looks like a real one (remaining 0) but, like a real one, uses no budget.
    private JsonHttpResult<PoeError> RateLimited(Fault fault, HttpContext context, string key, RateLimitLease lease)
    {
        limiter.Refund(key, lease);
        var reset = int.TryParse(fault.RetryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : ScriptedReset;
        RateLimitHeaders.Apply(context.Response, new RateLimitState(lease.State.Limit, 0, reset));
        if (fault.RetryAfter is not null)
            context.Response.Headers.RetryAfter = fault.RetryAfter;
        return PoeErrors.RateLimited();
    }

    // Headers at once, then the body in small pieces: a client waiting for the whole body waits the whole duration.
    private IResult Drip(byte[] body, TimeSpan duration, CancellationToken aborted) => Results.Stream(async stream =>
    {
        var pieces = (body.Length + DripBytes - 1) / DripBytes;
        try
        {
            for (var offset = 0; offset < body.Length; offset += DripBytes)
            {
                await stream.WriteAsync(body.AsMemory(offset, Math.Min(DripBytes, body.Length - offset)), aborted);
                await stream.FlushAsync(aborted);
                await Task.Delay(duration / pieces, time, aborted);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client gave up waiting: that is what this fault is for.
        }
    }, "application/json");
}
