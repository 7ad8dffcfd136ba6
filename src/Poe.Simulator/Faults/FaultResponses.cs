using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Poe.Simulator.RateLimiting;
using Poe.Simulator.Videos;

namespace Poe.Simulator.Faults;

/// <summary>Turns a scripted fault into the response Poe (or the network) would give.</summary>
internal sealed class FaultResponses(KeyRateLimiter limiter, IOptions<JsonOptions> json)
{
    public const string GarbageBody = "<html><body><h1>502 Bad Gateway</h1></body></html>";

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
            case FaultKind.Reset:
                context.Abort();
                return (0, Results.Empty);
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
            : TimeSpan.FromSeconds(Math.Max(1, limiter.Peek(key).ResetAfter.TotalSeconds));
        RateLimitHeaders.Apply(context.Response, new RateLimitState(lease.State.Limit, 0, reset));
        if (fault.RetryAfter is not null)
            context.Response.Headers.RetryAfter = fault.RetryAfter;
        return PoeErrors.RateLimited();
    }
}
