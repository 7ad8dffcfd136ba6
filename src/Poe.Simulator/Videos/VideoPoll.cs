using System.Globalization;
using Poe.Simulator.Auth;
using Poe.Simulator.Faults;
using Poe.Simulator.RateLimiting;
using Poe.Simulator.Requests;

namespace Poe.Simulator.Videos;

/// <summary>
/// <c>GET /v1/videos/{id}</c> as Poe answers it: key check, per-key budget, then the video
/// (or its next scripted fault). Every answer carries the x-ratelimit headers and is logged.
/// </summary>
internal sealed class VideoPoll(
    ApiKeys keys, KeyRateLimiter limiter, VideoStore videos, RequestLog log, FaultResponses faults, TimeProvider time)
{
    public async Task<IResult> HandleAsync(string id, HttpContext context)
    {
        var key = ApiKeys.Read(context.Request);
        var keyId = key is null ? null : ApiKeys.KeyId(key);
        var (status, result) = await AnswerAsync(id, key, context);
        log.Record(keyId, id, status);
        return result;
    }

    private async Task<(int Status, IResult Result)> AnswerAsync(string id, string? key, HttpContext context)
    {
        if (key is null || !keys.Accepts(key))
        {
            RateLimitHeaders.Apply(context.Response, limiter.Peek(key));
            return (StatusCodes.Status401Unauthorized, PoeErrors.Unauthorized());
        }

        var lease = limiter.TryAcquire(key);
        RateLimitHeaders.Apply(context.Response, lease.State);
        if (!lease.Acquired)
        {
            context.Response.Headers.RetryAfter = lease.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return (StatusCodes.Status429TooManyRequests, PoeErrors.RateLimited());
        }

        var video = videos.FindForPoll(id);
        if (video is null)
            return (StatusCodes.Status404NotFound, PoeErrors.NotFound(id));

        if (video.TryTakeFault(out var fault))
        {
            if (fault.Kind == FaultKind.Delay)
                await Task.Delay(fault.Duration, time, context.RequestAborted);
            else
                return faults.Respond(fault, context, key, lease, Current(video));
        }
        return (StatusCodes.Status200OK, TypedResults.Json(Current(video), contentType: "application/json"));
    }

    private VideoObject Current(SimulatedVideo video) => VideoObject.From(video, video.StateAt(time.GetUtcNow()));
}
