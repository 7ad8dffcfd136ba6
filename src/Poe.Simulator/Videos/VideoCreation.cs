using Microsoft.AspNetCore.Http.HttpResults;
using Poe.Simulator.Points;
using Poe.Simulator.Requests;

namespace Poe.Simulator.Videos;

/// <summary>
/// Poe's create, remix and extend, by its rules: key (401) and budget (429) first, then the request (400; remix and
/// extend only from a completed Sora video, 404 for an unknown one), then points (402). Each returns the new video.
/// </summary>
internal sealed class VideoCreation(PoeGate gate, VideoStore videos, PointsLedger points, RequestLog log, TimeProvider time)
{
    public const string Create = "create";
    public const string Remix = "remix";
    public const string Extend = "extend";

    public IResult CreateVideo(CreateVideoRequest? request, HttpContext context) => Metered(context, Create, key =>
        (request ?? new CreateVideoRequest(null, null, null, null, null, null, null)).TryToSpec(out var spec, out var error, out var code)
            ? Start(key, spec)
            : Refused(PoeErrors.BadRequest(error, code)));

    public IResult RemixVideo(string id, RemixVideoRequest? request, HttpContext context) => Metered(context, Remix, key =>
    {
        if (Source(id, Remix) is { } refusal)
            return refusal;
        if (string.IsNullOrWhiteSpace(request?.Prompt))
            return Refused(PoeErrors.BadRequest("'prompt' is required.", "missing_prompt"));
        var source = videos.Find(id)!.Spec;
        return Derive(key, source with { Id = null, Prompt = request.Prompt, RemixedFromVideoId = id }, source.Seconds, request.Simulation);
    });

    public IResult ExtendVideo(ExtendVideoRequest? request, HttpContext context) => Metered(context, Extend, key =>
    {
        if (request?.Video?.Id is not { Length: > 0 } id)
            return Refused(PoeErrors.BadRequest("'video.id' is required.", "missing_video"));
        if (Source(id, Extend) is { } refusal)
            return refusal;
        if (string.IsNullOrWhiteSpace(request.Prompt))
            return Refused(PoeErrors.BadRequest("'prompt' is required.", "missing_prompt"));
        var source = videos.Find(id)!.Spec;
        var added = request.Seconds ?? VideoModels.Find(source.Model)!.DefaultSeconds;
        if (added <= 0 || source.Seconds + added > VideoModels.MaxExtendedSeconds)
            return Refused(PoeErrors.BadRequest($"A video can be extended to at most {VideoModels.MaxExtendedSeconds} seconds in all.", "invalid_seconds"));
        return Derive(key, source with { Id = null, Prompt = request.Prompt, Seconds = source.Seconds + added, RemixedFromVideoId = null }, added, request.Simulation);
    });

    private static Answer Refused(JsonHttpResult<PoeError> result) => new(result.StatusCode ?? StatusCodes.Status400BadRequest, result, "");

    private Answer? Source(string id, string operation)
    {
        if (videos.Find(id) is not { } source)
            return Refused(PoeErrors.NotFound(id));
        if (!VideoModels.CanRemix(source.Spec.Model))
            return Refused(PoeErrors.BadRequest($"Only Sora videos can be used to {operation}; {id} was made by {source.Spec.Model}.", "unsupported_model"));
        if (source.StateAt(time.GetUtcNow()).Status != VideoState.Completed)
            return Refused(PoeErrors.BadRequest($"Video {id} is not completed.", "video_not_completed"));
        return null;
    }

    private Answer Derive(string key, VideoSpec spec, int cost, SimulationRequest? simulation) =>
        (simulation ?? SimulationRequest.None).TryApply(spec, out var applied, out var error)
            ? Start(key, applied, cost)
            : Refused(PoeErrors.BadRequest(error, "invalid_simulation"));

    private Answer Start(string key, VideoSpec spec, int? cost = null)
    {
        if (!points.TrySpend(key, cost ?? spec.Seconds))
            return Refused(PoeErrors.PointsUsedUp());
        var video = videos.Create(spec);
        return new Answer(StatusCodes.Status200OK, TypedResults.Json(VideoObject.From(video, video.StateAt(time.GetUtcNow())), contentType: "application/json"), video.Id);
    }

    private IResult Metered(HttpContext context, string operation, Func<string, Answer> answer)
    {
        var admission = gate.Admit(context);
        var (status, result, videoId) = admission.Refusal is { } refusal ? new Answer(refusal.Status, refusal.Result, "") : answer(admission.Key!);
        log.Record(admission.KeyId, videoId, status, operation);
        return result;
    }

    private sealed record Answer(int Status, IResult Result, string VideoId);
}
