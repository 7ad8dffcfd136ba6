using Poe.Simulator.Faults;
using Poe.Simulator.RateLimiting;
using Poe.Simulator.Requests;

namespace Poe.Simulator.Videos;

/// <summary>
/// <c>GET /v1/videos/{id}</c> as Poe answers it: key check, per-key budget, then the video
/// (or its next scripted fault). Every answer carries the x-ratelimit headers and is logged.
/// </summary>
internal sealed class VideoPoll(PoeGate gate, VideoStore videos, RequestLog log, FaultResponses faults, TimeProvider time)
{
    public async Task<IResult> HandleAsync(string id, HttpContext context)
    {
        var admission = gate.Admit(context);
        var (status, result) = admission.Refusal ?? await AnswerAsync(id, admission.Key!, admission.Lease!, context);
        log.Record(admission.KeyId, id, status);
        return result;
    }

    private async Task<(int Status, IResult Result)> AnswerAsync(string id, string key, RateLimitLease lease, HttpContext context)
    {
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
